"""Compatibility module for the original import path; everything lives in `system_trader`."""

from system_trader.schema import DataSource, RecordType  # noqa: F401

__all__ = ["RecordType", "DataSource"]
