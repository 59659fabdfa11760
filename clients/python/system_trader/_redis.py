"""The Redis transport: reads the cache's public layout (docs/REDIS_SCHEMA.md, version 1) with plain commands."""

from __future__ import annotations

import json
import re

from .errors import ServiceUnavailableError


def mask_redis_url(url: str) -> str:
    """`redis://user:secret@host` -> `redis://user:****@host` (as the Java side logs it)."""
    def repl(m):
        user, pw = m.group(2), m.group(3)
        return m.group(1) + (f"{user}:****@" if pw is not None else "****@")
    return re.sub(r"(rediss?://)([^:@/]*)(?::([^@/]*))?@", repl, url)


class RedisTransport:
    def __init__(self, url: str, prefix: str = "md", timeout: float = 10.0):
        import redis  # only this transport needs it

        self._redis = redis
        self.url = url
        self.prefix = prefix
        self._client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=timeout,
                                            socket_connect_timeout=timeout)

    def __repr__(self) -> str:
        return f"RedisTransport(url={mask_redis_url(self.url)!r}, prefix={self.prefix!r})"

    @property
    def client(self):
        return self._client

    def unavailable(self, e: Exception) -> ServiceUnavailableError:
        return ServiceUnavailableError(f"Redis at {mask_redis_url(self.url)} unreachable ({type(e).__name__}); "
                                       f"SYSTEM_TRADER_REDIS_URL sets the address")

    # keys (docs/REDIS_SCHEMA.md)
    def series_key(self, symbol: str, token: str, source: str) -> str:
        return f"{self.prefix}:{{{symbol}}}:{token}:{source}"

    def latest_key(self, symbol: str, token: str, source: str) -> str:
        return f"{self.prefix}:{{{symbol}}}:latest:{token}:{source}"

    def channel(self, index_token: str) -> str:
        return f"{self.prefix}:live:{index_token}"

    def _call(self, fn):
        try:
            return fn()
        except self._redis.exceptions.RedisError as e:
            raise self.unavailable(e) from None

    def latest(self, pairs: list[tuple[str, str, str]]) -> list[dict | None]:
        """The latest member of each (symbol, token, source), parsed, or None; one pipeline."""
        def run():
            p = self._client.pipeline(transaction=False)
            for sym, token, src in pairs:
                p.hget(self.latest_key(sym, token, src), "v")
            return p.execute()
        return [None if v is None else json.loads(v) for v in self._call(run)]

    def newest(self, symbol: str, token: str, source: str, count: int) -> list[dict]:
        """The newest `count` members by score, oldest first."""
        key = self.series_key(symbol, token, source)
        members = self._call(lambda: self._client.zrange(key, "+inf", "-inf", byscore=True, desc=True, offset=0,
                                                         num=count))
        return [json.loads(m) for m in reversed(members)]

    def range(self, symbol: str, token: str, source: str, from_ns: int, to_ns: int) -> list[dict]:
        """Members with `t` in [from_ns, to_ns), oldest first (the enclosing milliseconds, filtered on `t`)."""
        key = self.series_key(symbol, token, source)
        lo, hi = from_ns // 1_000_000, (to_ns - 1) // 1_000_000
        members = self._call(lambda: self._client.zrange(key, lo, hi, byscore=True))
        out = []
        for m in members:
            d = json.loads(m)
            if from_ns <= d["t"] < to_ns:
                out.append(d)
        return out

    def oldest_ns(self, symbol: str, token: str, source: str) -> int | None:
        """Event time of the series' oldest member, or None when it has none."""
        key = self.series_key(symbol, token, source)
        first = self._call(lambda: self._client.zrange(key, 0, 0))
        return json.loads(first[0])["t"] if first else None

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # closing anyway
            pass
