"""`DataSource` and `RecordType`, with the names of the original System Trader API (and of the Java enums)."""

from __future__ import annotations

import enum


class DataSource(str, enum.Enum):
    """Where data comes from. The value is the lower-case name the HTTP API and Redis use."""

    POLYGON = "polygon"
    ALPACA = "alpaca"
    DERIVED = "derived"

    @classmethod
    def of(cls, value: "DataSource | str | None") -> "DataSource | None":
        if value is None or isinstance(value, DataSource):
            return value
        v = str(value).strip().lower()
        if v == "massive":
            return cls.POLYGON
        try:
            return cls(v)
        except ValueError:
            raise ValueError(f"unknown data source {value!r} (polygon, alpaca)") from None

    def __str__(self) -> str:
        return self.value


class RecordType(str, enum.Enum):
    """The record types of the normalized model; the value is the `/api/latest?type=` name."""

    TRADE = "trade"
    QUOTE = "quote"
    BAR = "bar"
    LULD = "luld"
    TRADING_STATUS = "trading_status"
    IMBALANCE = "imbalance"

    @classmethod
    def of(cls, value: "RecordType | str") -> "RecordType":
        if isinstance(value, RecordType):
            return value
        v = str(value).strip().lower()
        if v == "status":
            return cls.TRADING_STATUS
        try:
            return cls(v)
        except ValueError:
            raise ValueError(f"unknown record type {value!r} ({', '.join(t.value for t in cls)})") from None

    @property
    def redis_token(self) -> str:
        """The type token of the Redis layout (docs/REDIS_SCHEMA.md): `bar` is `bar:1m`, trading status `status`."""
        return {"bar": "bar:1m", "trading_status": "status"}.get(self.value, self.value)

    def __str__(self) -> str:
        return self.value
