"""Honest dtypes: a tz-aware UTC DatetimeIndex at nanosecond precision, integer nanosecond fields as nullable Int64
(never float), prices as float64, conditions as lists, spelled-out column names; the same through either transport."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from system_trader import DataSource
from system_trader.frames import BAR_COLUMNS, QUOTE_COLUMNS, TRADE_COLUMNS
from system_trader.local_stack import wait_until

UTC_NS = "datetime64[ns, UTC]"


def _recent(client, seconds=20):
    end = pd.Timestamp.now(tz="UTC")
    return end - pd.Timedelta(seconds=seconds), end


def _check_index(df):
    assert str(df.index.dtype) == UTC_NS and df.index.name == "time"
    assert isinstance(df.index, pd.DatetimeIndex) and str(df.index.tz) == "UTC"


def test_trade_frames(client, http_client):
    start, end = _recent(client)
    for df in (http_client.get_trades_dataframe("AAPL", start, end, DataSource.POLYGON),
               client.get_trades_dataframe("AAPL", start, end, DataSource.POLYGON, via="redis")):
        _check_index(df)
        assert list(df.columns) == TRADE_COLUMNS
        assert str(df["price"].dtype) == "float64"
        for c in ("event_ns", "size", "exchange", "sequence", "trf_id", "trf_time_ns"):
            assert str(df[c].dtype) == "Int64", c
        assert (df.index.asi8 == df["event_ns"].astype("int64").to_numpy()).all()
        assert all(isinstance(c, list) for c in df["conditions"])


def test_trf_time_keeps_every_nanosecond(stack, client):
    """The issue's complaint: pandas turned optional ns fields into float64 (`...54.697999872`)."""
    start, end = _recent(client, 60)
    df = wait_until(lambda: (lambda d: d if d["trf_time_ns"].notna().any() and d["trf_time_ns"].isna().any() else None)(
        client.get_trades_dataframe("AAPL", start, end, DataSource.POLYGON, via="redis")), 60,
        "trades with and without a TRF time")
    key = f"{stack.prefix}:{{AAPL}}:trade:polygon"
    members = [json.loads(m) for m in client.redis.client.zrange(key, 0, -1)]
    want = {(m["x"], m["i"]): m["trft"] for m in members if "trft" in m}
    got = df[df["trf_time_ns"].notna()]
    assert str(got["trf_time_ns"].dtype) == "Int64"
    for x, i, v in zip(got["exchange"], got["trade_id"], got["trf_time_ns"]):
        assert isinstance(v, (int, np.integer)) and int(v) == want[(x, i)]
    assert df["trf_time_ns"].isna().sum() > 0  # absent is <NA>, not NaN in a float column


def test_quote_frames(client, http_client):
    start, end = _recent(client)
    for df in (http_client.get_quotes_dataframe("MSFT", start, end), client.get_quotes_dataframe(
            "MSFT", start, end, via="redis")):
        _check_index(df)
        assert list(df.columns) == QUOTE_COLUMNS
        for c in ("bid_price", "ask_price"):
            assert str(df[c].dtype) == "float64"
        for c in ("event_ns", "bid_size", "ask_size", "bid_exchange", "ask_exchange", "sequence"):
            assert str(df[c].dtype) == "Int64", c
        assert all(isinstance(c, list) for c in df["conditions"]) and all(isinstance(c, list) for c in df["indicators"])


def test_bar_frames_say_which_bars_are_partial(closed_bar, client, http_client):
    before = pd.Timestamp.now(tz="UTC")  # the service's "now" is later: a bucket ended by then is closed
    start = before.floor("1min") - pd.Timedelta("3min")
    df = http_client.get_ohlcv_dataframe("AAPL", start=start, source=DataSource.POLYGON)
    _check_index(df)
    assert list(df.columns) == BAR_COLUMNS
    for c in ("open", "high", "low", "close", "vwap"):
        assert str(df[c].dtype) == "float64"
    assert str(df["volume"].dtype) == "Int64" and str(df["trade_count"].dtype) == "Int64"
    assert str(df["partial"].dtype) == "bool"
    assert (df["partial"] == (df["state"] == "partial")).all()
    assert not df[df.index + pd.Timedelta("1min") <= before]["partial"].any()
    last_n = http_client.get_ohlcv_dataframe("AAPL", 5, DataSource.POLYGON)
    _check_index(last_n)
    assert not last_n["partial"].any()  # a last-N answer holds closed buckets only
    assert last_n.attrs["provenance"]["parts"] and last_n.attrs["provenance"]["attempts"]


def test_nanoseconds_survive_absent_values():
    """Redis members with and without the optional ns field: one Int64 column, every digit kept."""
    from system_trader import frames

    rows = [frames.spelled_out("trade", m) for m in (
        {"t": 1732400000000123456, "p": 110.13, "s": 100, "x": 4, "i": "7", "trfi": 202, "trft": 1732399999697999873},
        {"t": 1732400000000123457, "p": 110.14, "s": 5, "x": 11, "i": "8", "c": [12, 37]})]
    df = frames.ticks_frame("trade", rows, {})
    assert str(df.index.dtype) == UTC_NS
    assert df.index[0].value == 1732400000000123456 and df.index[1].nanosecond == 457 % 1000
    assert str(df["trf_time_ns"].dtype) == "Int64"
    assert int(df["trf_time_ns"].iloc[0]) == 1732399999697999873 and df["trf_time_ns"].isna().iloc[1]
    assert df["conditions"].tolist() == [[], [12, 37]]
