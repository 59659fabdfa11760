"""Compatibility: `from data.processors.realtime_data_provider import RealtimeDataProvider, DataSource`."""
