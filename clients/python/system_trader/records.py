"""Answers that are not DataFrames: a price (a float that knows where it came from), records and price maps."""

from __future__ import annotations

import pandas as pd


def timestamp(ns: int) -> pd.Timestamp:
    """Epoch nanoseconds -> a UTC pandas Timestamp (nanosecond precision)."""
    return pd.Timestamp(int(ns), unit="ns", tz="UTC")


class Price(float):
    """The latest trade price: a float (use it as a number) with `symbol`, `size`, `time`, `event_ns` and
    `provenance` (tier, source, as-of time, staleness, freshness and every tier tried)."""

    symbol: str
    size: int
    event_ns: int
    provenance: dict

    def __new__(cls, price: float, symbol: str, size: int, event_ns: int, provenance: dict):
        p = super().__new__(cls, price)
        p.symbol, p.size, p.event_ns, p.provenance = symbol, int(size), int(event_ns), provenance
        return p

    @property
    def price(self) -> float:
        return float(self)

    @property
    def time(self) -> pd.Timestamp:
        return timestamp(self.event_ns)

    def __repr__(self) -> str:
        pv = self.provenance
        return (f"Price({self.symbol} {float(self)!r} x {self.size} at {self.time.isoformat()} from "
                f"{pv.get('tier')}/{pv.get('source')}{'' if pv.get('fresh', True) else ', stale'})")

    def __reduce__(self):
        return (Price, (float(self), self.symbol, self.size, self.event_ns, self.provenance))


class Record(dict):
    """One event or answer as a dict with spelled-out keys (also readable as attributes: `r.price`), plus
    `provenance`."""

    def __init__(self, fields: dict, provenance: dict | None = None):
        super().__init__(fields)
        self.provenance = provenance or {}

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def time(self) -> pd.Timestamp:
        ns = self.get("event_time_ns", self.get("event_ns"))
        return timestamp(ns) if ns is not None else None

    def __repr__(self) -> str:
        return f"Record({dict.__repr__(self)})"


class Prices(dict):
    """Several symbols' latest prices: symbol -> `Price`; `missing` lists the symbols nothing answered for and
    `attempts` the batches tried (tier, outcome, how many fresh)."""

    def __init__(self, prices: dict, missing: list, attempts: list, transport: str):
        super().__init__(prices)
        self.missing = list(missing)
        self.attempts = list(attempts)
        self.transport = transport

    def to_frame(self) -> pd.DataFrame:
        """One row per symbol: price, size, time, tier, source, fresh."""
        rows = [{"symbol": s, "price": float(p), "size": p.size, "tier": p.provenance.get("tier"),
                 "source": p.provenance.get("source"), "fresh": p.provenance.get("fresh"), "event_ns": p.event_ns}
                for s, p in self.items()]
        df = pd.DataFrame(rows, columns=["symbol", "price", "size", "tier", "source", "fresh", "event_ns"])
        df["size"] = pd.array(df["size"].tolist(), dtype="Int64")
        df["event_ns"] = pd.array(df["event_ns"].tolist(), dtype="Int64")
        df.insert(2, "time", pd.to_datetime(df["event_ns"].astype("int64").to_numpy(), unit="ns", utc=True))
        df.attrs["missing"], df.attrs["attempts"] = self.missing, self.attempts
        return df.set_index("symbol")
