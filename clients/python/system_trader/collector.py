"""A collector-like view of the service's cache: `collector.get_latest_data("AAPL", RecordType.TRADE)`.

The original collectors answered `get_latest_data` from their own memory; here the answer comes from the cache the
service's collectors fill: Redis's latest hashes (docs/REDIS_SCHEMA.md) when the client has a Redis URL, otherwise
the service's `/api/latest` (its collectors' memory).
"""

from __future__ import annotations

from . import frames
from .errors import DataNotFoundError, UnknownSymbolError
from .records import Record
from .schema import DataSource, RecordType

_ABSENT = (-9223372036854775808, -2147483648, "NaN")  # the Java side's "absent" long, int and double


def absent_to_none(v):
    """A value of `/api/latest`'s event, with the Java side's markers of an absent field as None."""
    return None if (isinstance(v, (int, str)) and not isinstance(v, bool) and v in _ABSENT) else v


class Collector:
    """`get_latest_data(symbol, record_type, source=None)`: the newest event of that type as a `Record` (keys as
    `/api/latest` names them: `event_time_ns`, `price`, `size`, `bid_price`, ...), or None when there is none yet.
    Raises `UnknownSymbolError` when the service does not know the symbol at all."""

    def __init__(self, provider=None):
        if provider is None:
            from .provider import RealtimeDataProvider
            provider = RealtimeDataProvider.default()
        self.provider = provider

    def __repr__(self) -> str:
        return f"Collector({self.provider!r})"

    def get_latest_data(self, symbol: str, record_type=RecordType.TRADE, source=None, via: str | None = None):
        symbol = symbol.strip().upper()
        rt = RecordType.of(record_type)
        src = DataSource.of(source)
        if self.provider._use_redis(via):
            r = self.provider._redis_or_none(via, lambda: self._from_redis(symbol, rt, src))
            if r is not None or via == "redis":
                return r
        try:
            body = self.provider.http.get("/api/latest", {"symbol": symbol, "type": rt.value, "source": src and src.value},
                                          not_found=DataNotFoundError)
        except DataNotFoundError as e:
            if "unknown symbol" in e.message:
                raise UnknownSymbolError(e.message, 404) from None
            return None
        event = {k: absent_to_none(v) for k, v in body["event"].items()}
        event["source"] = body["source"]
        event["symbol"] = body["symbol"]
        event["type"] = body["type"]
        return Record(event, {"tier": body["tier"], "source": body["source"], "transport": "http"})

    def _from_redis(self, symbol: str, rt: RecordType, src):
        token = rt.redis_token
        sources = [src.value] if src else list(self.provider.sources) + (["derived"] if rt is RecordType.BAR else [])
        got = self.provider.redis.latest([(symbol, token, s) for s in sources])
        best, best_src = None, None
        for s, m in zip(sources, got):
            if m is not None and (best is None or m["t"] > best["t"]):
                best, best_src = m, s
        if best is None:
            return None
        f = frames.spelled_out(token, best)
        if "start_ns" in f:
            f["event_time_ns"], f["end_time_ns"] = f.pop("start_ns"), f.pop("end_ns", None)
        else:
            f["event_time_ns"] = f.pop("event_ns")
        if rt in (RecordType.TRADE, RecordType.QUOTE):
            f.setdefault("conditions", [])
        if rt is RecordType.QUOTE:
            f.setdefault("indicators", [])
        f.update(symbol=symbol, source=best_src, type=rt.value)
        return Record(f, {"tier": "redis", "source": best_src, "transport": "redis"})
