"""One simulator and one service for the whole session (over real sockets, with the local PostgreSQL in a throwaway
database and the local Redis under a unique key prefix), and helpers the tests share."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from system_trader.local_stack import LocalStack, wait_until  # noqa: E402

TOKEN = "pytest-token-" + os.urandom(6).hex()
SYMBOLS = ("AAPL", "MSFT", "GOOGL")


@pytest.fixture(scope="session")
def stack():
    with LocalStack(symbols=SYMBOLS, rate=300, seed=7, token=TOKEN, memory_max_entries=150,
                    keep_workdir=bool(os.environ.get("SYSTEM_TRADER_KEEP_TEST_DIR"))) as s:
        client = s.client()
        # streaming, and every symbol's trades and quotes in Redis
        pairs = [(sym, t, "polygon") for sym in SYMBOLS for t in ("trade", "quote")]
        wait_until(lambda: None not in client.redis.latest(pairs), 120, "trades and quotes of every symbol in Redis")
        client.close()
        yield s


@pytest.fixture()
def client(stack):
    with stack.client() as c:
        yield c


@pytest.fixture()
def http_client(stack):
    """A client without Redis: every answer through the service's HTTP API."""
    with stack.client(redis_url=None) as c:
        yield c


@pytest.fixture()
def quiet(stack):
    """The market stopped and every message sent received by the service: yields the simulator's truth (every
    line sent so far); the market resumes afterwards."""
    truth = stack.quiesce()
    try:
        yield truth
    finally:
        stack.simulator.resume()


@pytest.fixture(scope="session")
def closed_bar(stack):
    """Waits (once) until the service has a closed minute of every symbol built from the stream (in memory): a
    whole minute has passed since the first trade the service received, so ranges from the first minute boundary
    after it hold trades and built bars reach Redis. Last-N bar answers hold closed buckets only, the first (partial)
    minute of a session is withheld by the caches, and a closed bar from another tier does not say so: the REST tier
    builds minutes from before the subscription at once (a range test then met start == end, and a Redis wait began
    before the first built minute existed)."""
    with stack.client(redis_url=None) as c:
        def have():
            try:
                frames = [c.get_ohlcv_dataframe(s, 1, "polygon") for s in SYMBOLS]
                return all(len(df) == 1 and df["tier"].iloc[0] == "memory" for df in frames)
            except Exception:
                return False
        wait_until(have, 240, "a closed minute bar of every symbol built from the stream", interval=0.5)
