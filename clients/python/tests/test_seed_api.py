"""The seed's calls return what the Java provider returns for the same request: the same numbers, the same provenance.

Through HTTP the Java answer is the service's own (`/api/...`, made by its RealtimeDataProvider); through Redis it is
`./system-trader query ... --json --no-db --no-rest` (the Java provider with the Redis tier alone, the layout the
Python client reads). The market is stopped meanwhile (the answers do not move), and every call passes a one-hour
freshness limit so that no value turns stale between the two answers.
"""

from __future__ import annotations

import json
import math
import os

import pandas as pd

from system_trader import DataSource, RealtimeDataProvider, RecordType
from system_trader.collector import absent_to_none
from system_trader.local_stack import wait_until

MAX_AGE = 3600


def _prov(p: dict) -> dict:
    """Provenance without what moves with the clock (staleness) and what only the client adds (transport)."""
    return {k: v for k, v in p.items() if k not in ("staleness_ms", "transport")}


def _price_json(p) -> dict:
    return {"symbol": p.symbol, "price": float(p), "size": p.size, "time": p.provenance["as_of"],
            "provenance": _prov(p.provenance)}


def _java_price(j: dict) -> dict:
    return dict(j, provenance=_prov(j["provenance"]))


def _series_json(df: pd.DataFrame) -> dict:
    """A DataFrame back into the service's series JSON, to compare field by field."""
    bars = []
    for t, row in df.iterrows():
        b = {"time": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "open": row.open, "high": row.high, "low": row.low,
             "close": row.close, "volume": int(row.volume)}
        if not math.isnan(row.vwap):
            b["vwap"] = row.vwap
        if not pd.isna(row.trade_count):
            b["trade_count"] = int(row.trade_count)
        b.update(state=row.state, origin=row.origin, tier=row.tier, source=row.source)
        bars.append(b)
    prov = {k: v for k, v in df.attrs["provenance"].items() if k not in ("transport", "request", "pages")}
    return dict(prov, bars=bars)


def _steady(j: dict) -> dict:
    return {k: v for k, v in j.items() if k != "staleness_ms"}


def test_latest_price_over_http_is_the_services_answer(stack, quiet, http_client):
    for sym in ("AAPL", "MSFT"):
        java = stack.service.get(f"/api/price?symbol={sym}&source=polygon&max_age={MAX_AGE}")
        py = http_client.get_latest_price(sym, DataSource.POLYGON, max_age=MAX_AGE)
        assert _price_json(py) == _java_price(java)
        assert py.provenance["transport"] == "http" and py.provenance["tier"] == "memory"
        assert isinstance(py, float) and py == java["price"]


def test_latest_price_through_redis_is_the_java_providers_redis_answer(stack, quiet, client):
    java = stack.java("query", "latest", "AAPL", "--source", "polygon", "--no-quote", "--json", "--no-db", "--no-rest",
                      "--max-age", str(MAX_AGE))["price"]
    py = client.get_latest_price("AAPL", DataSource.POLYGON, max_age=MAX_AGE, via="redis")
    assert _price_json(py) == _java_price(java)
    assert py.provenance["tier"] == "redis" and py.provenance["transport"] == "redis"
    # the default (Redis first, fresh within the limit) gives the same answer
    assert _price_json(client.get_latest_price("AAPL", DataSource.POLYGON, max_age=MAX_AGE)) == _java_price(java)


def test_multi_symbol_prices_match_over_http_and_through_redis(stack, quiet, client, http_client):
    syms = ["AAPL", "MSFT", "GOOGL"]
    java = stack.service.get(f"/api/prices?symbols={','.join(syms)}&max_age={MAX_AGE}")
    py = http_client.get_multi_symbol_prices(syms, max_age=MAX_AGE)
    assert list(py) == syms and py.missing == java["missing"] and py.attempts == java["attempts"]
    assert [_price_json(p) for p in py.values()] == [_java_price(j) for j in java["prices"]]

    java = stack.java("query", "prices", ",".join(syms), "--json", "--no-db", "--no-rest", "--max-age", str(MAX_AGE))
    py = client.get_multi_symbol_prices(syms, max_age=MAX_AGE, via="redis")
    assert py.missing == java["missing"] and py.attempts == java["attempts"]
    assert [_price_json(p) for p in py.values()] == [_java_price(j) for j in java["prices"]]
    frame = py.to_frame()
    assert list(frame.index) == syms and str(frame["time"].dtype) == "datetime64[ns, UTC]"


def test_ohlcv_dataframe_over_http_is_the_services_series(closed_bar, stack, quiet, http_client):
    def once():
        before = stack.service.get(f"/api/ohlcv?symbol=AAPL&bars=100&source=polygon&max_age={MAX_AGE}")
        df = http_client.get_ohlcv_dataframe("AAPL", 100, DataSource.POLYGON, max_age=MAX_AGE)
        after = stack.service.get(f"/api/ohlcv?symbol=AAPL&bars=100&source=polygon&max_age={MAX_AGE}")
        return (df, before) if _steady(before) == _steady(after) else None  # no minute closed in between

    df, java = wait_until(once, 60, "two equal answers around the client's")
    assert _steady(_series_json(df)) == _steady(java)
    assert len(df) == len(java["bars"]) >= 1
    assert df.attrs["provenance"]["parts"] == java["parts"]


def test_ohlcv_dataframe_through_redis_is_the_java_providers_redis_series(closed_bar, stack, quiet, client):
    iv = 60_000_000_000

    def closed_in_redis():
        now = pd.Timestamp.now(tz="UTC").value
        return [m for m in client.redis.newest("AAPL", "bar:1m", "derived", 1000)
                if m.get("org") == "polygon" and m["t"] + iv <= now]

    # the bar builder publishes a minute a second after it ends, the cache writer then writes it
    n = len(wait_until(closed_in_redis, 60, "a closed built minute of AAPL in Redis"))

    def once():
        before = client.get_ohlcv_dataframe("AAPL", n, DataSource.POLYGON, max_age=MAX_AGE, via="redis")
        java = stack.java("query", "ohlcv", "AAPL", "--bars", str(n), "--source", "polygon", "--json", "--no-db",
                          "--no-rest", "--max-age", str(MAX_AGE))
        df = client.get_ohlcv_dataframe("AAPL", n, DataSource.POLYGON, max_age=MAX_AGE, via="redis")
        # the minute open when the market stopped may be published meanwhile: compare a steady state
        steady = before.equals(df) and java["complete"]
        return (df, java) if steady else None

    df, java = wait_until(once, 60, "the Java provider's Redis series")
    got = _steady(_series_json(df))
    want = _steady(java)
    assert got["bars"] == want["bars"]
    assert got["parts"] == want["parts"]
    assert (got["complete"], got["fresh"], got["requested"]) == (want["complete"], want["fresh"], want["requested"])
    assert [a["tier"] for a in got["attempts"]] == [a["tier"] for a in want["attempts"]]


def test_collector_latest_data_is_the_services(stack, quiet, client):
    """Over HTTP the answer is the service's `/api/latest` (its collectors' memory: the last received); from Redis
    it is the latest hash (the newest event time: a late print does not replace it), as the Java provider reads it."""
    java = {k: absent_to_none(v) for k, v in stack.service.get(
        "/api/latest?symbol=AAPL&type=trade&source=polygon")["event"].items()}
    over_http = client.collector.get_latest_data("AAPL", RecordType.TRADE, DataSource.POLYGON, via="http")
    assert over_http.provenance["tier"] == "memory"
    for k in ("event_time_ns", "receive_time_ns", "price", "size", "exchange", "trade_id", "tape", "sequence",
              "trf_id", "trf_time_ns", "conditions"):
        assert over_http.get(k) == java.get(k), k
    jq = {k: absent_to_none(v) for k, v in stack.service.get(
        "/api/latest?symbol=AAPL&type=quote&source=polygon")["event"].items()}
    quote = client.collector.get_latest_data("AAPL", RecordType.QUOTE, DataSource.POLYGON, via="http")
    assert {k: quote.get(k) for k in jq if k != "source"} == {k: jq[k] for k in jq if k != "source"}

    cached = client.collector.get_latest_data("AAPL", RecordType.TRADE, DataSource.POLYGON)
    assert cached.provenance["tier"] == "redis"
    java_redis = stack.java("query", "latest", "AAPL", "--source", "polygon", "--no-quote", "--json", "--no-db",
                            "--no-rest", "--max-age", str(MAX_AGE))["price"]
    assert (cached["event_time_ns"], cached["price"], cached["size"]) == (
        java_redis["provenance"]["as_of_ns"], java_redis["price"], java_redis["size"])
    # every field as the series holds the same event
    key = f"{stack.prefix}:{{AAPL}}:trade:polygon"
    t = cached["event_time_ns"]
    same_ms = [json.loads(m) for m in client.redis.client.zrange(key, t // 1_000_000, t // 1_000_000, byscore=True)]
    assert any(m["t"] == t and m["p"] == cached["price"] and m["i"] == cached["trade_id"]
               and m.get("c", []) == cached["conditions"] and m.get("trft") == cached.get("trf_time_ns")
               for m in same_ms)


def test_the_original_import_paths_and_class_level_calls(closed_bar, stack, quiet, monkeypatch):
    from data.collectors.schema import RecordType as CompatRecordType
    from data.processors.realtime_data_provider import DataSource as CompatSource
    from data.processors.realtime_data_provider import RealtimeDataProvider as Compat

    assert Compat is RealtimeDataProvider and CompatSource is DataSource and CompatRecordType is RecordType
    monkeypatch.setenv("SYSTEM_TRADER_URL", stack.service.url)
    monkeypatch.setenv("SYSTEM_TRADER_API_TOKEN", stack.token)
    monkeypatch.setenv("SYSTEM_TRADER_REDIS_URL", stack.redis_url)
    monkeypatch.setenv("SYSTEM_TRADER_REDIS_PREFIX", stack.prefix)
    monkeypatch.setattr(RealtimeDataProvider, "_default", None)
    try:
        price = Compat.get_latest_price("AAPL", CompatSource.POLYGON)
        assert isinstance(price, float) and price > 0 and price.provenance["source"] == "polygon"
        exact = Compat.get_latest_price("AAPL", CompatSource.POLYGON, max_age=MAX_AGE)
        java = stack.service.get(f"/api/price?symbol=AAPL&source=polygon&max_age={MAX_AGE}")
        assert float(exact) == java["price"] and exact.event_ns == java["provenance"]["as_of_ns"]
        ohlcv_df = Compat.get_ohlcv_dataframe("AAPL", 100, CompatSource.POLYGON)
        assert {"open", "high", "low", "close", "volume", "partial"} <= set(ohlcv_df.columns)
        prices = Compat.get_multi_symbol_prices(["AAPL", "MSFT", "GOOGL"])
        assert set(prices) == {"AAPL", "MSFT", "GOOGL"}
        from data.collectors import Collector

        collector = Collector()
        latest_trade = collector.get_latest_data("AAPL", CompatRecordType.TRADE)
        assert latest_trade.provenance["tier"] == "redis" and latest_trade["price"] > 0
        assert latest_trade["event_time_ns"] == client_latest(stack)
        assert stack.token not in repr(RealtimeDataProvider.default())
    finally:
        d = RealtimeDataProvider._default
        if d is not None:
            d.close()
    assert os.environ["SYSTEM_TRADER_URL"] == stack.service.url


def client_latest(stack) -> int:
    """The event time of AAPL's latest trade in Redis, as the Java provider's Redis tier reads it."""
    return stack.java("query", "latest", "AAPL", "--source", "polygon", "--no-quote", "--json", "--no-db", "--no-rest",
                      "--max-age", str(MAX_AGE))["price"]["provenance"]["as_of_ns"]
