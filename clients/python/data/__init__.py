"""Compatibility package: the original System Trader import paths (`data.processors.realtime_data_provider`,
`data.collectors.schema`), re-exporting the `system_trader` package."""
