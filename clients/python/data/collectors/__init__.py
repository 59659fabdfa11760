"""Compatibility: `from data.collectors.schema import RecordType`; `Collector` answers `get_latest_data`."""

from system_trader.collector import Collector  # noqa: F401
