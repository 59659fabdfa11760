"""`RealtimeDataProvider`: the original System Trader Python API over the service's HTTP API and the Redis layout.

    from system_trader import RealtimeDataProvider, DataSource
    price = RealtimeDataProvider.get_latest_price("AAPL", DataSource.POLYGON)         # the default client
    client = RealtimeDataProvider(url="http://127.0.0.1:8787", redis_url="redis://127.0.0.1:6379")
    df = client.get_ohlcv_dataframe("AAPL", 100, DataSource.POLYGON)

Class-level calls use a default instance configured from the environment: `SYSTEM_TRADER_URL` (default
`http://127.0.0.1:8787`), `SYSTEM_TRADER_REDIS_URL` (unset: HTTP only), `SYSTEM_TRADER_REDIS_PREFIX` (default `md`),
`SYSTEM_TRADER_API_TOKEN` (the service's bearer token, if it has one).

Where answers come from: every call can go through the HTTP API (the service's `RealtimeDataProvider`: memory,
Redis, the database, the providers' REST, each answer with its provenance). With a Redis URL, the latest price and
quote, several symbols' prices, the latest event of a type and the newest minute bars are read straight from Redis
first (no service hop), judged as the Java provider judges its Redis tier (fresh within `max_age`, sources in
preference order); what Redis does not hold fresh is asked of the service. `via="http"` or `via="redis"` forces one.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import threading
import time as _time

import pandas as pd

from . import frames
from ._http import HttpTransport, _mask_url
from ._redis import RedisTransport, mask_redis_url
from .errors import BadRequestError, NoDataInRangeError, ServiceUnavailableError, UnknownSymbolError
from .records import Price, Prices, Record
from .schema import DataSource

DEFAULT_URL = "http://127.0.0.1:8787"
DEFAULT_MAX_AGE = 30.0  # seconds: the service's default freshness limit
SOURCES = ("polygon", "alpaca")  # preference order, as the service's default
_INTERVAL_NS = {"1m": 60_000_000_000, "5m": 300_000_000_000, "15m": 900_000_000_000, "1h": 3_600_000_000_000,
                "1d": 86_400_000_000_000}


def java_instant(ns: int) -> str:
    """Epoch ns as Java's `Instant.toString()` writes it (the service's `time` fields)."""
    sec, frac = divmod(int(ns), 1_000_000_000)
    base = _dt.datetime.fromtimestamp(sec, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if frac == 0:
        return base + "Z"
    digits = f"{frac:09d}"
    for n in (3, 6):
        if digits[n:] == "0" * (9 - n):
            return f"{base}.{digits[:n]}Z"
    return f"{base}.{digits}Z"


def rfc3339(t) -> str:
    """A time (str, datetime, pandas Timestamp, numpy datetime64 or epoch ns int) as RFC 3339 in UTC, to the ns."""
    if isinstance(t, str):
        return t
    if isinstance(t, int):
        return java_instant(t)
    ts = pd.Timestamp(t)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return java_instant(ts.value)


def _now_ns() -> int:
    return _time.time_ns()


def _seconds(ns: int) -> str:
    return f"{ns / 1e9:.1f} s"


class _hybrid:
    """A method callable on the class (the default instance answers) and on an instance."""

    def __init__(self, fn):
        self.fn = fn
        functools.update_wrapper(self, fn)

    def __get__(self, obj, cls):
        return self.fn.__get__(obj if obj is not None else cls.default(), cls)


class RealtimeDataProvider:
    """The System Trader client. Thread-safe for reads; `close()` (or `with`) releases its connections."""

    _default = None
    _default_lock = threading.Lock()

    def __init__(self, url: str | None = None, redis_url: str | None = None, token: str | None = None,
                 redis_prefix: str | None = None, timeout: float = 30.0, max_age: float = DEFAULT_MAX_AGE,
                 sources=SOURCES):
        self._url = url or os.environ.get("SYSTEM_TRADER_URL") or DEFAULT_URL
        self._token = token if token is not None else os.environ.get("SYSTEM_TRADER_API_TOKEN")
        self._redis_url = redis_url or None
        self._redis_prefix = redis_prefix or os.environ.get("SYSTEM_TRADER_REDIS_PREFIX") or "md"
        self._timeout = timeout
        self.max_age = float(max_age)
        self.sources = tuple(DataSource.of(s).value for s in sources)
        self._http = None
        self._redis = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> "RealtimeDataProvider":
        """A client configured from the environment (see the module's documentation)."""
        return cls(url=os.environ.get("SYSTEM_TRADER_URL"), redis_url=os.environ.get("SYSTEM_TRADER_REDIS_URL"),
                   token=os.environ.get("SYSTEM_TRADER_API_TOKEN"),
                   redis_prefix=os.environ.get("SYSTEM_TRADER_REDIS_PREFIX"))

    @classmethod
    def default(cls) -> "RealtimeDataProvider":
        """The instance class-level calls use (made from the environment at first use)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls.from_env()
            return cls._default

    @classmethod
    def configure(cls, **kwargs) -> "RealtimeDataProvider":
        """Replaces the default instance: `RealtimeDataProvider.configure(url=..., redis_url=..., token=...)`."""
        with cls._default_lock:
            old, cls._default = cls._default, cls(**kwargs)
        if old is not None:
            old.close()
        return cls._default

    def __repr__(self) -> str:
        redis = mask_redis_url(self._redis_url) if self._redis_url else None
        return (f"RealtimeDataProvider(url={_mask_url(self._url)!r}, redis_url={redis!r}, "
                f"redis_prefix={self._redis_prefix!r}, token={'****' if self._token else None})")

    # ---- transports ----

    @property
    def http(self) -> HttpTransport:
        with self._lock:
            if self._http is None:
                self._http = HttpTransport(self._url, self._token, self._timeout)
            return self._http

    @property
    def redis(self) -> RedisTransport | None:
        """The Redis transport, or None when no Redis URL was given."""
        if not self._redis_url:
            return None
        with self._lock:
            if self._redis is None:
                self._redis = RedisTransport(self._redis_url, self._redis_prefix, self._timeout)
            return self._redis

    def _use_redis(self, via: str | None) -> bool:
        if via not in (None, "http", "redis"):
            raise ValueError(f"via: 'http', 'redis' or None (both), got {via!r}")
        if via == "redis" and self.redis is None:
            raise ValueError("via='redis' needs a Redis URL (redis_url=... or SYSTEM_TRADER_REDIS_URL)")
        return via == "redis" or (via is None and self.redis is not None)

    def _redis_or_none(self, via, fn):
        """`fn()` over Redis; when Redis is unreachable and the call may use either transport, None (the service is
        asked instead), otherwise the error."""
        try:
            return fn()
        except ServiceUnavailableError:
            if via == "redis":
                raise
            return None

    def _candidates(self, source) -> list[str]:
        s = DataSource.of(source)
        return [s.value] if s is not None else list(self.sources)

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
            if self._redis is not None:
                self._redis.close()
            self._http = self._redis = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- Redis tier, judged as the Java provider judges it ----

    def _redis_latest(self, symbols: list[str], token: str, source, max_age: float):
        """Per symbol: (member, source, fresh, attempts) as RealtimeDataProvider.resolve over the Redis tier."""
        srcs = self._candidates(source)
        pairs = [(s, token, src) for s in symbols for src in srcs]
        got = self.redis.latest(pairs)
        now, limit = _now_ns(), int(max_age * 1e9)
        out = {}
        for i, sym in enumerate(symbols):
            best, best_src, fresh, attempts = None, None, False, []
            for j, src in enumerate(srcs):
                m = got[i * len(srcs) + j]
                if m is None:
                    attempts.append({"tier": "redis", "source": src, "outcome": "empty"})
                    continue
                age = now - m["t"]
                if age <= limit:
                    attempts.append({"tier": "redis", "source": src, "outcome": "fresh"})
                    best, best_src, fresh = m, src, True
                    break
                attempts.append({"tier": "redis", "source": src, "outcome": "stale",
                                 "detail": f"age {_seconds(age)} > limit {_seconds(limit)}"})
                if best is None or m["t"] > best["t"]:
                    best, best_src = m, src
            out[sym] = (best, best_src, fresh, attempts, now)
        return out

    @staticmethod
    def _provenance(event_ns: int, source: str, fresh: bool, attempts: list, now: int, tier="redis") -> dict:
        return {"tier": tier, "source": source, "as_of": java_instant(event_ns), "as_of_ns": event_ns,
                "staleness_ms": max(0, now - event_ns) / 1e6, "fresh": fresh, "attempts": attempts,
                "transport": "redis"}

    # ---- latest price and quote ----

    @staticmethod
    def _price_of(p: dict, transport: str) -> Price:
        prov = dict(p["provenance"], transport=transport)
        return Price(p["price"], p["symbol"], p["size"], prov["as_of_ns"], prov)

    @_hybrid
    def get_latest_price(self, symbol: str, source=None, max_age: float | None = None, via: str | None = None) -> Price:
        """The latest trade price of `symbol` (a float with `.size`, `.time`, `.provenance`). `source`: only
        that provider (`DataSource.POLYGON`); None: any, in preference order. Raises `UnknownSymbolError` when no
        tier has a trade of it."""
        symbol = symbol.strip().upper()
        max_age = self.max_age if max_age is None else max_age
        found = self._use_redis(via) and self._redis_or_none(
            via, lambda: self._redis_latest([symbol], "trade", source, max_age)[symbol])
        if found:
            m, src, fresh, attempts, now = found
            if m is not None and (fresh or via == "redis"):
                return Price(m["p"], symbol, max(0, m.get("s", 0)), m["t"],
                             self._provenance(m["t"], src, fresh, attempts, now))
            if via == "redis":
                raise UnknownSymbolError(f"no data for the latest price of {symbol}; tried "
                                         + ", ".join(f"redis/{a['source']}: {a['outcome']}" for a in attempts))
        p = self.http.get("/api/price", {"symbol": symbol, "source": DataSource.of(source) and DataSource.of(source).value,
                                          "max_age": None if max_age == DEFAULT_MAX_AGE else max_age},
                          not_found=UnknownSymbolError)
        return self._price_of(p, "http")

    @_hybrid
    def get_latest_quote(self, symbol: str, source=None, max_age: float | None = None, via: str | None = None) -> Record:
        """The latest quote: a `Record` with `bid`, `bid_size`, `ask`, `ask_size`, `time` and `.provenance`."""
        symbol = symbol.strip().upper()
        max_age = self.max_age if max_age is None else max_age
        found = self._use_redis(via) and self._redis_or_none(
            via, lambda: self._redis_latest([symbol], "quote", source, max_age)[symbol])
        if found:
            m, src, fresh, attempts, now = found
            if m is not None and (fresh or via == "redis"):
                return Record({"symbol": symbol, "bid": m.get("bp"), "bid_size": m.get("bs"), "ask": m.get("ap"),
                               "ask_size": m.get("as"), "event_ns": m["t"]},
                              self._provenance(m["t"], src, fresh, attempts, now))
            if via == "redis":
                raise UnknownSymbolError(f"no data for the latest quote of {symbol} in Redis")
        q = self.http.get("/api/quote", {"symbol": symbol, "source": DataSource.of(source) and DataSource.of(source).value,
                                          "max_age": None if max_age == DEFAULT_MAX_AGE else max_age},
                          not_found=UnknownSymbolError)
        prov = dict(q.pop("provenance"), transport="http")
        q.pop("time", None)
        q["event_ns"] = prov["as_of_ns"]
        return Record(q, prov)

    @_hybrid
    def get_multi_symbol_prices(self, symbols, source=None, max_age: float | None = None,
                                via: str | None = None) -> Prices:
        """Latest prices of several symbols: a dict symbol -> `Price`, with `.missing` (nothing for them) and
        `.attempts` (the batches tried). `.to_frame()` gives a DataFrame."""
        if isinstance(symbols, str):
            symbols = symbols.split(",")
        symbols = list(dict.fromkeys(s.strip().upper() for s in symbols if s.strip()))
        max_age = self.max_age if max_age is None else max_age
        prices, batch, open_ = {}, [], symbols
        found = self._use_redis(via) and self._redis_or_none(
            via, lambda: self._redis_latest(symbols, "trade", source, max_age))
        if found:
            fresh_n = sum(1 for f in found.values() if f[2])
            batch.append({"tier": "redis", "source": "-", "outcome": "fresh" if fresh_n else "empty",
                          "detail": f"{fresh_n} of {len(symbols)} symbols fresh"})
            for sym, (m, src, fresh, attempts, now) in found.items():
                if m is not None and (fresh or via == "redis"):
                    prices[sym] = Price(m["p"], sym, max(0, m.get("s", 0)), m["t"],
                                        self._provenance(m["t"], src, fresh, attempts, now))
            open_ = [s for s in symbols if s not in prices]
            if via == "redis":
                return Prices({s: prices[s] for s in symbols if s in prices}, open_, batch, "redis")
        missing = []
        if open_:
            r = self.http.get("/api/prices", {"symbols": ",".join(open_),
                                              "source": DataSource.of(source) and DataSource.of(source).value,
                                              "max_age": None if max_age == DEFAULT_MAX_AGE else max_age})
            for p in r["prices"]:
                prices[p["symbol"]] = self._price_of(p, "http")
            missing = r["missing"]
            batch.extend(r["attempts"])
        transport = "http" if not batch or batch[0]["tier"] != "redis" else ("redis" if not open_ else "redis+http")
        return Prices({s: prices[s] for s in symbols if s in prices}, missing, batch, transport)

    # ---- OHLCV ----

    @_hybrid
    def get_ohlcv_dataframe(self, symbol: str, bars: int | None = 100, source=None, *, start=None, end=None,
                            interval: str = "1m", origin: str = "built", max_age: float | None = None,
                            via: str | None = None, page_size: int = 10_000) -> pd.DataFrame:
        """OHLCV bars as a DataFrame indexed by bar start (UTC, ns): `open high low close` (float64), `volume`
        (Int64), `vwap` (float64, NaN when the bucket had no volume), `trade_count` (Int64, <NA> where the source has
        none), `state` (`partial`, `final`, `revised`), `partial` (bool), `origin`, `tier`, `source`.
        `df.attrs["provenance"]` is the service's account of the answer (parts per tier, attempts, completeness).

        The newest `bars` closed bars (`/api/ohlcv`, at most 50,000), or with `start` (and `end`, default now) the
        bars starting in [start, end), the open bucket included and labelled partial (`/api/bars`, every page).
        `origin`: `built` (System Trader's bars from eligible trades) or `provider` (the vendor's own)."""
        symbol = symbol.strip().upper()
        src = DataSource.of(source)
        max_age = self.max_age if max_age is None else max_age
        if start is not None:
            return self._bars_range(symbol, start, end, interval, origin, src, page_size)
        if end is not None:
            raise BadRequestError("end needs start (a last-N request ends now)")
        bars = 100 if bars is None else int(bars)
        if self._use_redis(via) and interval == "1m":
            df = self._redis_or_none(via, lambda: self._redis_bars(symbol, bars, origin, src, max_age,
                                                                   force=via == "redis"))
            if df is not None:
                return df
        try:
            r = self.http.get("/api/ohlcv", {"symbol": symbol, "bars": int(bars), "interval": interval,
                                             "origin": origin, "source": src and src.value,
                                             "max_age": None if max_age == DEFAULT_MAX_AGE else max_age},
                              not_found=UnknownSymbolError)
        except UnknownSymbolError as e:
            if self._has_trades(symbol, src):  # the symbol is known, its bars are not there (yet)
                raise NoDataInRangeError(f"{e.message} (the symbol has trades: no closed {interval} bar yet?)",
                                         404) from None
            raise
        return self._series_frame(r, "http", {"endpoint": "/api/ohlcv", "bars": int(bars)})

    def _has_trades(self, symbol: str, src) -> bool:
        try:
            self.http.get("/api/price", {"symbol": symbol, "source": src and src.value, "max_age": 31_536_000})
            return True
        except Exception:  # it decides only which error to raise
            return False

    @staticmethod
    def _series_frame(r: dict, transport: str, request: dict, pages: int = 1) -> pd.DataFrame:
        bars = r.pop("bars")
        prov = dict(r, transport=transport, request=request, pages=pages)
        df = frames.bars_frame(bars, {"provenance": prov})
        df.attrs.update(symbol=r["symbol"], interval=r["interval"], origin=r["origin"], complete=r["complete"],
                        fresh=r["fresh"])
        return df

    def _bars_range(self, symbol, start, end, interval, origin, src, page_size) -> pd.DataFrame:
        params = {"symbol": symbol, "start": rfc3339(start), "end": None if end is None else rfc3339(end),
                  "interval": interval, "origin": origin, "source": src and src.value, "limit": page_size}
        bars, parts, pages, first = [], [], 0, None
        while True:
            r = self.http.get("/api/bars", params, not_found=NoDataInRangeError)
            pages += 1
            first = first or r
            bars.extend(r["bars"])
            parts.extend(r["parts"])
            if not r.get("next_cursor"):
                break
            params = dict(params, cursor=r["next_cursor"], end=r["end"])
        merged = dict(first, bars=bars, parts=parts)
        merged.pop("next_cursor", None)
        return self._series_frame(merged, "http", {"endpoint": "/api/bars", "start": params["start"],
                                                   "end": first["end"]}, pages)

    def _redis_bars(self, symbol, n, origin, src, max_age, force) -> pd.DataFrame | None:
        """The newest `n` closed 1m bars from Redis, or None (ask the service) when it does not hold them fresh."""
        iv = _INTERVAL_NS["1m"]
        now = _now_ns()
        for s in ([src.value] if src else list(self.sources)):
            if origin == "built":
                members = [m for m in self.redis.newest(symbol, "bar:1m", "derived", n + 4) if m.get("org") == s]
            else:
                members = self.redis.newest(symbol, "bar:1m", s, n + 4)
            closed = [m for m in members if m["t"] + iv <= now][-n:]
            if not closed:
                continue
            newest_end = closed[-1]["t"] + iv
            fresh = now - newest_end <= max_age * 1e9 + iv
            complete = len(closed) == n
            if not force and not (complete and fresh):
                return None
            rows = []
            for m in closed:
                rows.append({"time": java_instant(m["t"]), "open": m["o"], "high": m["h"], "low": m["l"],
                             "close": m["c"], "volume": m.get("v", 0), "vwap": m.get("vw"),
                             "trade_count": m.get("n"), "state": "revised" if m.get("u") else "final",
                             "origin": origin, "tier": "redis", "source": s})
            prov = {"symbol": symbol, "interval": "1m", "origin": origin, "requested": n, "complete": complete,
                    "fresh": fresh, "staleness_ms": max(0, now - newest_end) / 1e6,
                    "parts": [{"tier": "redis", "source": s, "from": rows[0]["time"], "to": rows[-1]["time"],
                               "bars": len(rows)}],
                    "attempts": [{"tier": "redis", "source": s, "outcome": "fresh" if fresh else "stale",
                                  "detail": f"{len(rows)} bars"}], "bars": rows}
            if not complete:
                prov["gaps"] = f"{len(rows)} of {n} bars held by Redis"
            return self._series_frame(prov, "redis", {"bars": n})
        if force:
            raise UnknownSymbolError(f"no {origin} 1m bars of {symbol} in Redis")
        return None

    # ---- trades and quotes ----

    def _ticks(self, kind: str, symbol, start, end, source, page_size, via) -> pd.DataFrame:
        symbol = symbol.strip().upper()
        src = DataSource.of(source)
        end_s = rfc3339(end) if end is not None else java_instant(_now_ns())
        start_s = rfc3339(start)
        if via == "redis":
            return self._redis_ticks(kind, symbol, start_s, end_s, src)
        self._use_redis(via)
        params = {"symbol": symbol, "start": start_s, "end": end_s, "source": src and src.value, "limit": page_size}
        events, parts, pages, first = [], [], 0, None
        while True:
            r = self.http.get(f"/api/{kind}s", params, not_found=NoDataInRangeError)
            pages += 1
            first = first or r
            events.extend(r["events"])
            parts.extend(r["parts"])
            if not r.get("next_cursor"):
                break
            params = dict(params, cursor=r["next_cursor"])
        if not events:
            raise NoDataInRangeError(f"no {kind}s of {symbol} from {first['source']} in [{start_s}, {end_s}); tried "
                                     + ", ".join(f"{a['tier']}/{a['source']}: {a['outcome']}"
                                                 + (f" ({a['detail']})" if a.get("detail") else "")
                                                 for a in first["attempts"]), 404, first["attempts"])
        prov = {"symbol": symbol, "type": kind, "source": first["source"], "start": start_s, "end": end_s,
                "parts": parts, "attempts": first["attempts"], "pages": pages, "transport": "http"}
        return frames.ticks_frame(kind, events, {"provenance": prov, "symbol": symbol, "source": first["source"]})

    def _redis_ticks(self, kind, symbol, start_s, end_s, src) -> pd.DataFrame:
        s = src.value if src else self.sources[0]
        from_ns, to_ns = int(frames.iso_to_ns([start_s])[0]), int(frames.iso_to_ns([end_s])[0])
        members = self.redis.range(symbol, kind, s, from_ns, to_ns)
        oldest = self.redis.oldest_ns(symbol, kind, s)
        rows = []
        for m in members:
            r = frames.spelled_out(kind, m)
            r["id"] = frames.trade_id(r) if kind == "trade" else frames.quote_id(r)
            rows.append(r)
        rows.sort(key=lambda r: (r["event_ns"], r["id"] or ""))
        if not rows:
            raise NoDataInRangeError(f"no {kind}s of {symbol} from {s} in Redis in [{start_s}, {end_s})")
        prov = {"symbol": symbol, "type": kind, "source": s, "start": start_s, "end": end_s,
                "parts": [{"tier": "redis", "from": start_s, "to": end_s, "events": len(rows)}],
                "attempts": [{"tier": "redis", "source": s, "outcome": "fresh", "detail": f"{len(rows)} events"}],
                "complete": oldest is not None and oldest <= from_ns, "transport": "redis"}
        return frames.ticks_frame(kind, rows, {"provenance": prov, "symbol": symbol, "source": s})

    @_hybrid
    def get_trades_dataframe(self, symbol: str, start, end=None, source=None, *, page_size: int = 10_000,
                             via: str | None = None) -> pd.DataFrame:
        """The trades with event time in [start, end) (end default: now) as a DataFrame indexed by event time
        (UTC, ns): `event_ns`, `price`, `size`, `exchange`, `trade_id`, `id` (the service's identity), `tape`,
        `sequence`, `trf_id`, `trf_time_ns`, `conditions` (lists). Through the service every tier is asked
        (memory, Redis, database, REST); `via="redis"` reads only Redis's recent window. Raises
        `NoDataInRangeError` when there are none."""
        return self._ticks("trade", symbol, start, end, source, page_size, via)

    @_hybrid
    def get_quotes_dataframe(self, symbol: str, start, end=None, source=None, *, page_size: int = 10_000,
                             via: str | None = None) -> pd.DataFrame:
        """The quotes with event time in [start, end): `bid_price`, `bid_size`, `ask_price`, `ask_size`,
        `bid_exchange`, `ask_exchange`, `id`, `tape`, `sequence`, `conditions`, `indicators`."""
        return self._ticks("quote", symbol, start, end, source, page_size, via)

    # ---- live and collector ----

    @_hybrid
    def stream(self, symbols=None, types=("trade", "quote"), sources=None):
        """A live iterator over the Redis live channels (`<prefix>:live:<type>`): `for event in client.stream(
        ["AAPL"], types=["trade", "quote"])`. Subscribed when this returns. See `system_trader.live.LiveStream`."""
        from .live import LiveStream

        if self.redis is None:
            raise ValueError("stream() reads Redis's live channels: give redis_url=... (or SYSTEM_TRADER_REDIS_URL)")
        return LiveStream(self.redis, symbols, types, sources)

    @property
    def collector(self):
        """A collector-like view: `client.collector.get_latest_data("AAPL", RecordType.TRADE)`."""
        from .collector import Collector

        return Collector(self)


Client = RealtimeDataProvider
