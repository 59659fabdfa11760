#!/usr/bin/env python3
"""Benchmark of the Python client: `get_ohlcv_dataframe` for 100 and 100,000 bars and the latest price, through
the service's HTTP API and straight from Redis, next to a plain `requests.get` + `pd.DataFrame` of the same JSON
(the baseline: what a user writes without the client), in one run; p50 and p99 per case.

    /usr/bin/python3 clients/python/bench/bench_client.py [--runs-small 300] [--runs-large 15] [--json FILE]

Method: it starts the simulator and the service from this checkout (LocalStack: a throwaway PostgreSQL database on
127.0.0.1:5432 and a throwaway Redis prefix on 127.0.0.1:6379, the simulator at 100 msg/s for AAPL, MSFT, GOOGL),
then writes 100,000 provider minute bars of the symbol BENCH ending at the last closed minute, twice: into the
database's `market_data` with one `INSERT ... SELECT generate_series` (after one extra partition for the 70 days
before the service's oldest), and into Redis as the documented members of `<prefix>:{BENCH}:bar:1m:polygon`
(docs/REDIS_SCHEMA.md). Bar requests ask for `origin=provider`, source polygon, with a one-day freshness limit
(the service would otherwise go on to slower tiers once the newest bar is a minute old).

Cases: 100 bars are a last-N request (`/api/ohlcv?bars=100`; Redis: the newest 100 members); 100,000 bars are a
time range through HTTP (`/api/bars`, 10 pages of 10,000 followed by their cursor; `/api/ohlcv` takes at most
50,000) and the newest 100,000 members through Redis. The baseline makes the same HTTP requests with one
`requests.Session` and builds `pd.DataFrame(bars)` from the parsed JSON (object dtypes, string times: no index,
no nullable integers). Each case is warmed up 3 times, then the cases of a group (latest price; 100 bars; 100,000 bars) are timed
`--runs-*` times interleaved, one run of each in turn, so that the machine's load weighs on each alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import requests  # noqa: E402

from system_trader.local_stack import LocalStack, psql, repo_root, wait_until  # noqa: E402
from system_trader.provider import java_instant  # noqa: E402

SYMBOL = "BENCH"
N_LARGE = 100_000
MAX_AGE = 86_400


def seed_bars(stack: LocalStack, last_start: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """100,000 provider minute bars of BENCH, the newest starting at `last_start`, in the database and in Redis."""
    first = last_start - pd.Timedelta(minutes=N_LARGE - 1)
    wait_until(lambda: psql("SELECT to_regclass('market_data') IS NOT NULL", db=stack.db).strip() == "t", 120,
               "the service's migrations")

    def partition_starts():
        bounds = psql("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                      "ON c.oid = i.inhrelid WHERE i.inhparent = 'market_data'::regclass", db=stack.db).split("\n")
        return [b.split("'")[1] for b in bounds if "FROM ('" in b]

    lows = wait_until(partition_starts, 120, "the service's daily partitions")
    oldest = min(pd.Timestamp(x) for x in lows)
    oldest = oldest.tz_localize("UTC") if oldest.tzinfo is None else oldest.tz_convert("UTC")
    if first < oldest:
        psql(f"CREATE TABLE market_data_bench PARTITION OF market_data FOR VALUES FROM "
             f"('{(first.floor('1D')).isoformat()}') TO ('{oldest.isoformat()}')", db=stack.db)
    psql(f"""INSERT INTO market_data (time, end_time, symbol, timeframe, source, origin, open, high, low, close, volume,
                                      vwap, trade_count, received_at)
             SELECT t, t + interval '1 minute', '{SYMBOL}', '1m', 'polygon', 'polygon',
                    100 + (i % 97) * 0.01, 100.5 + (i % 89) * 0.01, 99.5 + (i % 83) * 0.01, 100 + (i % 79) * 0.01,
                    1000 + i % 5000, 100 + (i % 71) * 0.01, 10 + i % 300, now()
             FROM generate_series(0, {N_LARGE - 1}) AS i,
                  LATERAL (SELECT timestamptz '{first.isoformat()}' + i * interval '1 minute' AS t) x""", db=stack.db)
    import redis

    r = redis.Redis.from_url(stack.redis_url)
    key = f"{stack.prefix}:{{{SYMBOL}}}:bar:1m:polygon"
    p = r.pipeline(transaction=False)
    t0 = first.value
    for i in range(N_LARGE):
        t = t0 + i * 60_000_000_000
        member = (f'{{"t":{t},"e":{t + 60_000_000_000},"o":{round(100 + (i % 97) * 0.01, 2)},'
                  f'"h":{round(100.5 + (i % 89) * 0.01, 2)},"l":{round(99.5 + (i % 83) * 0.01, 2)},'
                  f'"c":{round(100 + (i % 79) * 0.01, 2)},"v":{1000 + i % 5000},"vw":{round(100 + (i % 71) * 0.01, 2)},'
                  f'"n":{10 + i % 300}}}')
        p.zadd(key, {member: t // 1_000_000})
        if i % 10_000 == 9_999:
            p.execute()
    p.execute()
    r.close()
    return first, last_start + pd.Timedelta(minutes=1)


def timed_group(cases: list, runs: int) -> list[list[float]]:
    """Times the cases of one group interleaved (one run of each in turn), so that a change of the machine's load
    during the group weighs on each case alike; 3 warm-up runs of each first."""
    for _, _, fn, check in cases:
        for _ in range(3):
            v = fn()
        if check:
            check(v)
    out = [[] for _ in cases]
    for _ in range(runs):
        for i, (_, _, fn, _) in enumerate(cases):
            t = time.perf_counter()
            fn()
            out[i].append(time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="Python client benchmark")
    ap.add_argument("--runs-small", type=int, default=300)
    ap.add_argument("--runs-large", type=int, default=15)
    ap.add_argument("--json", help="also write the figures as JSON to this file")
    args = ap.parse_args()
    repo = repo_root(Path(__file__))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    with LocalStack(repo, symbols=("AAPL", "MSFT", "GOOGL"), rate=100) as stack:
        last = pd.Timestamp.now(tz="UTC").floor("1min") - pd.Timedelta(minutes=1)
        t = time.perf_counter()
        first, end = seed_bars(stack, last)
        print(f"seeded {N_LARGE} bars of {SYMBOL} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        client = stack.client()
        wait_until(lambda: client.collector.get_latest_data("AAPL", "trade") is not None, 60, "AAPL trades")
        session = requests.Session()
        base = stack.service.url

        def base_price():
            return session.get(f"{base}/api/price", params={"symbol": "AAPL", "source": "polygon"}).json()["price"]

        def base_100():
            j = session.get(f"{base}/api/ohlcv", params={"symbol": SYMBOL, "bars": 100, "origin": "provider",
                                                        "source": "polygon", "max_age": MAX_AGE}).json()
            return pd.DataFrame(j["bars"])

        def base_large():
            params = {"symbol": SYMBOL, "start": java_instant(first.value), "end": java_instant(end.value),
                      "origin": "provider", "source": "polygon", "limit": 10_000}
            bars = []
            while True:
                j = session.get(f"{base}/api/bars", params=params).json()
                bars.extend(j["bars"])
                if "next_cursor" not in j:
                    return pd.DataFrame(bars)
                params["cursor"] = j["next_cursor"]

        def rows(n):
            def check(df):
                assert len(df) == n, (len(df), n)
            return check

        groups = [
            (args.runs_small, [
                ("latest price", "HTTP (client)", lambda: client.get_latest_price("AAPL", "polygon", via="http"), None),
                ("latest price", "Redis (client)", lambda: client.get_latest_price("AAPL", "polygon", via="redis"),
                 None),
                ("latest price", "baseline requests.get", base_price, None)]),
            (args.runs_small, [
                ("ohlcv 100 bars", "HTTP (client)", lambda: client.get_ohlcv_dataframe(
                    SYMBOL, 100, "polygon", origin="provider", max_age=MAX_AGE, via="http"), rows(100)),
                ("ohlcv 100 bars", "Redis (client)", lambda: client.get_ohlcv_dataframe(
                    SYMBOL, 100, "polygon", origin="provider", max_age=MAX_AGE, via="redis"), rows(100)),
                ("ohlcv 100 bars", "baseline requests.get + pd.DataFrame", base_100, rows(100))]),
            (args.runs_large, [
                ("ohlcv 100,000 bars", "HTTP (client, 10 pages)", lambda: client.get_ohlcv_dataframe(
                    SYMBOL, start=first, end=end, source="polygon", origin="provider"), rows(N_LARGE)),
                ("ohlcv 100,000 bars", "Redis (client)", lambda: client.get_ohlcv_dataframe(
                    SYMBOL, N_LARGE, "polygon", origin="provider", max_age=MAX_AGE, via="redis"), rows(N_LARGE)),
                ("ohlcv 100,000 bars", "baseline requests.get + pd.DataFrame (10 pages)", base_large,
                 rows(N_LARGE))]),
        ]
        tiers = {
            "100 http": client.get_ohlcv_dataframe(SYMBOL, 100, "polygon", origin="provider", max_age=MAX_AGE,
                                                   via="http").attrs["provenance"]["parts"],
            "100000 http": sorted({p["tier"] for p in client.get_ohlcv_dataframe(
                SYMBOL, start=first, end=end, source="polygon", origin="provider").attrs["provenance"]["parts"]}),
            "price http": client.get_latest_price("AAPL", "polygon", via="http").provenance["tier"],
        }
        results = []
        for runs, cases in groups:
            for (what, how, _, _), samples in zip(cases, timed_group(cases, runs)):
                ms = np.array(samples) * 1000
                results.append({"case": what, "transport": how, "runs": runs,
                                "p50_ms": round(float(np.percentile(ms, 50)), 3),
                                "p99_ms": round(float(np.percentile(ms, 99)), 3)})
                print(f"{what:20s} {how:50s} runs {runs:4d}  p50 {results[-1]['p50_ms']:10.3f} ms  "
                      f"p99 {results[-1]['p99_ms']:10.3f} ms", flush=True)
        load = os.getloadavg()
        client.close()
    out = {"date": dt.date.today().isoformat(), "commit": commit, "python": sys.version.split()[0],
           "pandas": pd.__version__, "requests": requests.__version__, "cpus": os.cpu_count(),
           "load_after": [round(x, 2) for x in load],
           "tiers": tiers, "results": results}
    print(json.dumps({k: v for k, v in out.items() if k != "results"}))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
