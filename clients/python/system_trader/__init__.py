"""System Trader's Python client: the original `RealtimeDataProvider` API over the service's HTTP API and the
Redis layout, answering with pandas DataFrames (clients/python/README.md)."""

from .collector import Collector
from .errors import (AuthenticationError, BadRequestError, DataNotFoundError, NoDataInRangeError,
                     ServiceUnavailableError, SystemTraderError, UnknownSymbolError)
from .live import Event, LiveStream
from .provider import Client, RealtimeDataProvider
from .records import Price, Prices, Record
from .schema import DataSource, RecordType

__version__ = "0.1.0"

__all__ = ["RealtimeDataProvider", "Client", "DataSource", "RecordType", "Collector", "LiveStream", "Event",
           "Price", "Prices", "Record", "SystemTraderError", "ServiceUnavailableError", "AuthenticationError",
           "BadRequestError", "DataNotFoundError", "UnknownSymbolError", "NoDataInRangeError"]
