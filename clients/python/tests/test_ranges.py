"""Range DataFrames equal the simulator's truth for the window (trades, quotes), and range bars equal the Java
provider's for the same request. The service keeps 150 events per series in memory, so a range is split between
memory, Redis and the database."""

from __future__ import annotations

import math

import pandas as pd

from system_trader import DataSource
from system_trader.local_stack import settle
from system_trader.provider import java_instant
from truth import codes, sent, trade_identity


def _window(events: list[dict]) -> tuple[int, int]:
    """[from, to) in ns: from the newest time among the first 20 sent (late prints carry older times; every trade
    printed after the subscription was sent, so the window starts past it), to just after the newest sent."""
    return max(e["t"] for e in events[:20]) * 1_000_000, max(e["t"] for e in events) * 1_000_000 + 1


def test_trades_dataframe_is_the_truth_for_the_window(stack, quiet, http_client):
    trades = sent(quiet, "T", "AAPL")
    lo, hi = _window(trades)
    expected = {trade_identity(e): e for e in trades if lo <= e["t"] * 1_000_000 < hi}
    assert len(expected) > 150, "the window should span more than memory holds"

    df = settle(lambda: http_client.get_trades_dataframe("AAPL", java_instant(lo), java_instant(hi),
                                                         DataSource.POLYGON, page_size=100),
                lambda d: set(d["id"]) == set(expected), 90)  # the writers catch up
    assert sorted(set(expected) - set(df["id"])) == [], "missing"
    assert sorted(set(df["id"]) - set(expected)) == [], "not sent"
    assert df["id"].is_unique
    assert df.index.is_monotonic_increasing
    for ts, row in df.iterrows():
        e = expected[row["id"]]
        assert ts.value == e["t"] * 1_000_000 == row["event_ns"]
        assert (row["price"], row["size"], row["exchange"]) == (e["p"], e["s"], e["x"])
        assert row["conditions"] == codes(e.get("c"))
    tiers = {p["tier"] for p in df.attrs["provenance"]["parts"] if p["events"] > 0}
    assert "memory" in tiers and len(tiers) >= 2, tiers
    assert df.attrs["provenance"]["pages"] > 1


def test_quotes_dataframe_is_the_truth_for_the_window(stack, quiet, http_client, client):
    quotes = sent(quiet, "Q", "MSFT")
    lo, hi = _window(quotes)
    expected = {f"q{e['q']}": e for e in quotes if lo <= e["t"] * 1_000_000 < hi}

    df = settle(lambda: http_client.get_quotes_dataframe("MSFT", java_instant(lo), java_instant(hi), DataSource.POLYGON),
                lambda d: set(d["id"]) == set(expected), 90)
    assert sorted(set(expected) - set(df["id"])) == [], "missing"
    assert sorted(set(df["id"]) - set(expected)) == [], "not sent"
    assert df["id"].is_unique
    for ts, row in df.iterrows():
        e = expected[row["id"]]
        assert ts.value == e["t"] * 1_000_000
        assert (row["bid_price"], row["bid_size"], row["ask_price"], row["ask_size"]) == (e["bp"], e["bs"], e["ap"],
                                                                                          e["as"])
        assert (row["bid_exchange"], row["ask_exchange"]) == (e["bx"], e["ax"])
        assert row["conditions"] == codes(e.get("c"))

    # the same window straight from Redis's sorted sets: the same quotes, with the fields only Redis keeps
    redis_df = settle(lambda: client.get_quotes_dataframe("MSFT", java_instant(lo), java_instant(hi),
                                                          DataSource.POLYGON, via="redis"),
                      lambda d: set(d["id"]) == set(expected), 60)
    assert set(redis_df["id"]) == set(expected)
    assert redis_df["sequence"].tolist() == [expected[i]["q"] for i in redis_df["id"]]
    pd.testing.assert_series_equal(redis_df.sort_values("id")["bid_price"].reset_index(drop=True),
                                   df.sort_values("id")["bid_price"].reset_index(drop=True))


def test_range_bars_equal_the_java_providers_for_the_same_request(closed_bar, stack, quiet, http_client):
    # from the first minute that began after the subscription: an earlier bucket also holds trades printed before
    # it, which only REST has (the service asks REST for it; `query --no-rest` cannot)
    lo, _ = _window(sent(quiet, "T", "AAPL"))
    start = pd.Timestamp(lo, unit="ns", tz="UTC").ceil("1min")
    end = pd.Timestamp.now(tz="UTC").ceil("1min")

    def ask():
        t0 = pd.Timestamp.now(tz="UTC")
        df = http_client.get_ohlcv_dataframe("AAPL", start=start, end=end, source=DataSource.POLYGON, page_size=2)
        java = stack.java("query", "bars", "AAPL", "--start", java_instant(start.value), "--end",
                          java_instant(end.value), "--source", "polygon", "--format", "json", "--no-rest")
        ours = [(t.value, r.open, r.high, r.low, r.close, int(r.volume), int(r.trade_count))
                for t, r in df.iterrows()]
        theirs = [(pd.Timestamp(b["time"]).value, b["open"], b["high"], b["low"], b["close"], b["volume"],
                   b["trade_count"]) for b in java["bars"]]
        return df, java, ours, theirs, t0, pd.Timestamp.now(tz="UTC")

    # the database's roll-ups catch up with what memory holds
    df, java, ours, theirs, t0, t1 = settle(ask, lambda v: v[2] == v[3], 90, interval=1.0)
    assert ours == theirs
    assert len(df) >= 1
    for (t, row), b in zip(df.iterrows(), java["bars"]):
        assert math.isclose(row.vwap, b["vwap"], rel_tol=1e-12)  # summed in another order (docs/DATA_MODEL.md)
        if t + pd.Timedelta("1min") <= t0:  # ended before either answer: closed in both
            assert not row.partial and b["state"] != "partial"
        elif t + pd.Timedelta("1min") > t1:  # still open after both
            assert row.partial and b["state"] == "partial"
    assert df.attrs["provenance"]["pages"] == math.ceil(len(df) / 2)
    assert df["partial"].sum() <= 1 and (not df["partial"].any() or df["partial"].iloc[-1])
