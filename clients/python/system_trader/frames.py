"""DataFrames with honest dtypes from the service's JSON and from Redis members.

Every frame has a tz-aware UTC `DatetimeIndex` named `time` at nanosecond precision (`datetime64[ns, UTC]`), prices
as float64, integer fields (sizes, volumes, counts, exchange ids, sequences, nanosecond times) as pandas' nullable
`Int64` (an absent value is `<NA>`, never a float), conditions and indicators as Python lists, and names spelled
out (`bid_price`, never Redis's `bp`). The columns are the same whichever transport answered; a field a transport
does not carry is `<NA>` there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAR_COLUMNS = ["open", "high", "low", "close", "volume", "vwap", "trade_count", "state", "partial", "origin", "tier",
               "source"]
TRADE_COLUMNS = ["event_ns", "price", "size", "exchange", "trade_id", "id", "tape", "sequence", "trf_id",
                 "trf_time_ns", "conditions"]
QUOTE_COLUMNS = ["event_ns", "bid_price", "bid_size", "ask_price", "ask_size", "bid_exchange", "ask_exchange", "id",
                 "tape", "sequence", "conditions", "indicators"]

_FLOAT = {"open", "high", "low", "close", "vwap", "price", "bid_price", "ask_price"}
_INT = {"volume", "trade_count", "event_ns", "size", "exchange", "sequence", "trf_id", "trf_time_ns", "bid_size",
        "ask_size", "bid_exchange", "ask_exchange"}
_LIST = {"conditions", "indicators"}

# Redis member fields (docs/REDIS_SCHEMA.md) -> spelled-out names
TRADE_FIELDS = {"t": "event_ns", "p": "price", "s": "size", "x": "exchange", "i": "trade_id", "z": "tape",
                "q": "sequence", "trfi": "trf_id", "trft": "trf_time_ns", "c": "conditions"}
QUOTE_FIELDS = {"t": "event_ns", "bx": "bid_exchange", "bp": "bid_price", "bs": "bid_size", "ax": "ask_exchange",
                "ap": "ask_price", "as": "ask_size", "c": "conditions", "i": "indicators", "z": "tape",
                "q": "sequence"}
BAR_FIELDS = {"t": "start_ns", "e": "end_ns", "o": "open", "h": "high", "l": "low", "c": "close", "v": "volume",
              "vw": "vwap", "n": "trade_count", "av": "accumulated_volume", "op": "official_open", "a": "day_vwap",
              "z": "average_trade_size", "otc": "otc", "u": "revised", "org": "origin_source"}
STATUS_FIELDS = {"t": "event_ns", "sc": "status_code", "sm": "status_message", "rc": "reason_code",
                 "rm": "reason_message", "z": "tape"}
LULD_FIELDS = {"t": "event_ns", "h": "limit_up", "l": "limit_down", "i": "indicators", "z": "tape", "q": "sequence"}
IMBALANCE_FIELDS = {"t": "event_ns", "p": "price", "iq": "imbalance_quantity", "pq": "paired_quantity",
                    "at": "auction_time", "aty": "auction_type", "x": "exchange", "z": "tape"}
FIELDS_BY_TOKEN = {"trade": TRADE_FIELDS, "quote": QUOTE_FIELDS, "bar": BAR_FIELDS, "status": STATUS_FIELDS,
                   "luld": LULD_FIELDS, "imbalance": IMBALANCE_FIELDS}


def spelled_out(token: str, member: dict) -> dict:
    """A Redis member (parsed JSON) with its one-letter fields renamed (unknown fields kept as they are)."""
    names = FIELDS_BY_TOKEN[token.split(":")[0]]
    return {names.get(k, k): v for k, v in member.items()}


def trade_id(row: dict):
    """The service's identity of a trade (`exchange:trf_id:trade_id`, as `/api/trades` answers `id`)."""
    if row.get("trade_id") is None:
        return None
    x, f = row.get("exchange"), row.get("trf_id")
    return f"{'' if x is None else x}:{'' if f is None else f}:{row['trade_id']}"


def quote_id(row: dict):
    """The service's identity of a quote (`q<sequence>`), when it has a sequence."""
    return None if row.get("sequence") is None else f"q{row['sequence']}"


def utc_index(ns) -> pd.DatetimeIndex:
    """Epoch nanoseconds -> tz-aware UTC DatetimeIndex at ns precision, named `time`."""
    a = np.asarray(ns, dtype="int64").view("datetime64[ns]")
    return pd.DatetimeIndex(a, name="time").tz_localize("UTC")


def iso_to_ns(times) -> np.ndarray:
    """RFC 3339 times as the service writes them (`2026-12-04T14:30:00Z`, up to 9 fraction digits) -> epoch ns."""
    if len(times) == 0:
        return np.empty(0, dtype="int64")
    stripped = [t[:-1] if t.endswith("Z") else t for t in times]
    return np.array(stripped, dtype="datetime64[ns]").astype("int64")


_SMALL = 2000  # below this many rows, columns are built from lists (pandas' own path costs more per call)


def _small_column(name: str, values: list):
    if name in _FLOAT:
        return np.array([np.nan if v is None else v for v in values], dtype="float64")
    if name in _INT:
        return pd.array(values, dtype="Int64")
    out = np.empty(len(values), dtype=object)
    if name in _LIST:
        for i, v in enumerate(values):
            out[i] = v if type(v) is list else []
    else:
        out[:] = values
    return out


def _column(name: str, col, rows: list[dict], n: int):
    """One column with its honest dtype, from the column pandas made of the rows (`col`, None when no row has the
    field), going back to the rows only where pandas' guess would lose digits (integers with absent values)."""
    if name in _FLOAT:
        if col is None:
            return np.full(n, np.nan)
        return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")
    if name in _INT:
        if col is None:
            return pd.array([None] * n, dtype="Int64")
        if col.dtype.kind in "iu":
            return pd.array(col.to_numpy(dtype="int64"), dtype="Int64")
        # absent values made it float64 or object: never through float (a ns time has 19 digits)
        return pd.array([r.get(name) for r in rows], dtype="Int64")
    out = np.empty(n, dtype=object)
    if name in _LIST:
        values = [None] * n if col is None else col.tolist()
        for i, v in enumerate(values):
            out[i] = v if type(v) is list else []
        return out
    if col is None:
        return out  # all None
    out = col.to_numpy(dtype=object, copy=True)
    out[pd.isna(out)] = None
    return out


def frame(rows: list[dict], ns, columns: list[str], attrs: dict) -> pd.DataFrame:
    """A DataFrame of `rows` (dicts with spelled-out names) indexed by `ns`, with exactly `columns`."""
    n = len(rows)
    data = {}
    if n < _SMALL:
        for c in columns:
            data[c] = _small_column(c, [r.get(c) for r in rows]) if c != "partial" else np.array(
                [r.get("state") == "partial" for r in rows], dtype=bool)
        df = pd.DataFrame(data, index=utc_index(ns), columns=columns)
        df.attrs.update(attrs)
        return df
    raw = pd.DataFrame.from_records(rows)
    for c in columns:
        if c == "partial":
            state = raw["state"] if "state" in raw.columns else pd.Series([None] * n, dtype=object)
            data[c] = (state == "partial").to_numpy(dtype=bool)
        else:
            data[c] = _column(c, raw[c] if c in raw.columns else None, rows, n)
    df = pd.DataFrame(data, index=utc_index(ns), columns=columns)
    df.attrs.update(attrs)
    return df


def bars_frame(bars: list[dict], attrs: dict) -> pd.DataFrame:
    """Bars as `/api/ohlcv` and `/api/bars` answer them (`time`, `open`, ..., `state`): one row per bar;
    `partial` is True for the bucket still open."""
    return frame(bars, iso_to_ns([b["time"] for b in bars]), BAR_COLUMNS, attrs)


def ticks_frame(kind: str, events: list[dict], attrs: dict) -> pd.DataFrame:
    """Trades or quotes (`kind` `trade` or `quote`) as `/api/trades`/`/api/quotes` answer them, or Redis rows."""
    columns = TRADE_COLUMNS if kind == "trade" else QUOTE_COLUMNS
    return frame(events, [e["event_ns"] for e in events], columns, attrs)
