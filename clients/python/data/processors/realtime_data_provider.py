"""Compatibility module for the original import path; everything lives in `system_trader`."""

from system_trader import DataSource, RealtimeDataProvider, RecordType  # noqa: F401
from system_trader.errors import *  # noqa: F401,F403

__all__ = ["RealtimeDataProvider", "DataSource", "RecordType"]
