"""The live iterator over the Redis cache writer's Pub/Sub channels (docs/REDIS_SCHEMA.md, "Live publication").

    with client.stream(["AAPL"], types=["trade", "quote"]) as live:
        for event in live:            # blocks; live.close() (or leaving the with block) ends it
            print(event.symbol, event.type, event.time, event.get("price"))

Each message of the writer (`{"sym", "src", "type", "n", "v": [members]}`) is one batch of one series; the
iterator yields one `Event` per member, in the order published, with the member's fields spelled out
(`price`, `size`, `bid_price`, ...) plus `symbol`, `source`, `type` and `event_ns`. Pub/Sub is at-most-once: a
reader that was away catches up from the sorted sets (`get_trades_dataframe(..., via="redis")`).
"""

from __future__ import annotations

import collections
import json
import time as _time

from . import frames
from .records import Record
from .schema import DataSource

_INDEX_TOKENS = {"trade": "trade", "quote": "quote", "bar": "bar", "bar:1m": "bar", "bar:1s": "bar", "bar:1d": "bar",
                 "status": "status", "trading_status": "status", "luld": "luld", "imbalance": "imbalance"}


class Event(Record):
    """One live event: a dict of spelled-out fields with `symbol`, `source`, `type`, `event_ns` (and `.time`)."""

    def __repr__(self) -> str:
        return f"Event({dict.__repr__(self)})"


class LiveStream:
    """Subscribed on construction; iterate for events. `timeout` (seconds, per `events()` call) ends the
    iteration after that long without a matching event; None waits forever."""

    def __init__(self, redis_transport, symbols=None, types=("trade", "quote"), sources=None,
                 subscribe_timeout: float = 10.0):
        if isinstance(types, str):
            types = [types]
        if isinstance(symbols, str):
            symbols = [symbols]
        tokens = []
        for t in types:
            key = str(getattr(t, "value", t)).lower()
            if key not in _INDEX_TOKENS:
                raise ValueError(f"unknown live type {t!r} ({', '.join(sorted(set(_INDEX_TOKENS)))})")
            if _INDEX_TOKENS[key] not in tokens:
                tokens.append(_INDEX_TOKENS[key])
        self._transport = redis_transport
        self.symbols = None if symbols is None else {s.strip().upper() for s in symbols}
        self.sources = None if sources is None else {DataSource.of(s).value for s in sources}
        self.channels = [redis_transport.channel(t) for t in tokens]
        self._pubsub = redis_transport.client.pubsub()
        self._pending: collections.deque = collections.deque()
        self.messages = 0  # writer messages received (batches), matching or not
        self._closed = False
        try:
            self._pubsub.subscribe(*self.channels)
            confirmed = 0
            deadline = _time.monotonic() + subscribe_timeout
            while confirmed < len(self.channels):  # the subscription is active once Redis confirmed each channel
                left = deadline - _time.monotonic()
                if left <= 0:
                    raise TimeoutError("Redis did not confirm the subscription")
                m = self._pubsub.get_message(timeout=left)
                if m is None:
                    continue
                if m["type"] == "subscribe":
                    confirmed += 1
                elif m["type"] == "message":
                    self._take(m)
        except redis_transport._redis.exceptions.RedisError as e:
            self._pubsub.close()
            raise redis_transport.unavailable(e) from None

    def _take(self, m) -> None:
        self.messages += 1
        batch = json.loads(m["data"])
        sym, src, typ = batch["sym"], batch["src"], batch["type"]
        if self.symbols is not None and sym not in self.symbols:
            return
        if self.sources is not None and src not in self.sources:
            return
        for member in batch["v"]:
            f = frames.spelled_out(typ, member)
            if "start_ns" in f:
                f["event_ns"] = f["start_ns"]
            ev = Event(dict(symbol=sym, source=src, type=typ, **f),
                       {"tier": "redis", "source": src, "channel": m["channel"], "transport": "redis"})
            if typ == "trade":
                ev["id"] = frames.trade_id(ev)
            elif typ == "quote":
                ev["id"] = frames.quote_id(ev)
            self._pending.append(ev)

    def events(self, timeout: float | None = None, max_events: int | None = None):
        """Yields events until closed, `max_events` were yielded, or `timeout` seconds passed without one."""
        n = 0
        last = _time.monotonic()
        while not self._closed:
            while self._pending:
                yield self._pending.popleft()
                n += 1
                last = _time.monotonic()
                if max_events is not None and n >= max_events:
                    return
            wait = 1.0 if timeout is None else timeout - (_time.monotonic() - last)
            if wait <= 0:
                return
            try:
                m = self._pubsub.get_message(timeout=min(wait, 1.0))
            except self._transport._redis.exceptions.RedisError as e:
                if self._closed:
                    return
                raise self._transport.unavailable(e) from None
            if m is not None and m["type"] == "message":
                self._take(m)

    def __iter__(self):
        return self.events()

    def close(self) -> None:
        self._closed = True
        try:
            self._pubsub.close()
        except Exception:  # closing anyway
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
