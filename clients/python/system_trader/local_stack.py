"""Starts System Trader from a checkout for tests, examples and benchmarks: the exchange simulator
(`./system-trader simulate --stdin-control`) and the service (`./system-trader run`) as child processes over real
sockets, with a throwaway PostgreSQL database and a unique Redis key prefix, and takes them down again.

    with LocalStack(repo) as stack:          # simulator + service on free ports
        client = stack.client()              # RealtimeDataProvider(url=..., redis_url=..., token=...)

Every wait here is on a condition (a line printed, an answer given), with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

SIMULATOR_POLYGON_KEY = "sim-polygon-key"  # the key `simulate` accepts by default


def repo_root(start: Path | None = None) -> Path:
    """The checkout holding `./system-trader` (searched upwards from this file)."""
    p = (start or Path(__file__)).resolve()
    for d in [p, *p.parents]:
        if (d / "system-trader").is_file() and (d / "pom.xml").is_file():
            return d
    raise FileNotFoundError("no System Trader checkout (./system-trader) above " + str(p))


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    """Polls `condition()` until it returns something other than None/False (a DataFrame counts as an answer; other
    values by their truth), returned, or `timeout` seconds pass (TimeoutError)."""
    deadline = time.monotonic() + timeout
    while True:
        v = condition()
        if v is not None and v is not False and (hasattr(v, "shape") or isinstance(v, tuple) or bool(v)):
            return v
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def settle(fetch, done, timeout: float, interval: float = 0.5):
    """Calls `fetch()` until `done(value)` or `timeout` seconds pass, and returns the last value either way (the
    caller asserts on it, so that a timeout shows what differs)."""
    deadline = time.monotonic() + timeout
    while True:
        v = fetch()
        if done(v) or time.monotonic() > deadline:
            return v
        time.sleep(interval)


class _Lines:
    """A child's standard output, line by line, read on a thread (so a wait has a deadline)."""

    def __init__(self, stream, log_path: Path):
        self._q: queue.Queue = queue.Queue()
        self._log = open(log_path, "a", encoding="utf-8")
        t = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        t.start()

    def _pump(self, stream):
        for line in stream:
            self._log.write(line)
            self._log.flush()
            self._q.put(line.rstrip("\n"))
        self._q.put(None)

    def wait_for(self, pattern: str, timeout: float, what: str) -> re.Match:
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
            try:
                line = self._q.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError(f"the process ended before {what} (see {self._log.name})")
            m = rx.search(line)
            if m:
                return m


def _launcher_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(extra or {})
    return env


class Simulator:
    """`./system-trader simulate --port 0 --stdin-control` (with a truth file): `stop()`, `resume()`, `flush()`."""

    def __init__(self, repo: Path, workdir: Path, symbols=("AAPL", "MSFT", "GOOGL"), rate: int = 300, seed: int = 7,
                 truth: bool = True, start_timeout: float = 600):
        self.truth_file = workdir / "truth.jsonl" if truth else None
        cmd = [str(repo / "system-trader"), "simulate", "--port", "0", "--stdin-control", "--seed", str(seed),
               "--symbols", ",".join(symbols), "--rate", str(rate), "--halts-per-hour", "0"]
        if truth:
            cmd += ["--truth-file", str(self.truth_file)]
        self.log = workdir / "simulator.log"
        self._err = open(workdir / "simulator.err", "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err, text=True,
                                     env=_launcher_env(), start_new_session=True)
        self._out = _Lines(self.proc.stdout, self.log)
        self.port = int(self._out.wait_for(r"simulator ready on port (\d+)", start_timeout, "the simulator").group(1))
        self._lock = threading.Lock()

    def command(self, line: str, answer: str, timeout: float = 30) -> str:
        with self._lock:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            return self._out.wait_for(r"^simulator: " + answer, timeout, f"the simulator's answer to {line!r}").string

    def stop(self) -> str:
        return self.command("stop", "sending stopped")

    def resume(self) -> None:
        self.command("resume", "sending resumed")

    def flush(self) -> None:
        self.command("flush", "truth flushed")

    def truth(self) -> list[dict]:
        """Every data line the simulator has sent so far (flushed first)."""
        self.flush()
        with open(self.truth_file, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # end of input stops it
            except OSError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._err.close()


def psql(sql: str, db: str = "postgres", host: str = "127.0.0.1", port: int = 5432, user: str = "postgres") -> str:
    r = subprocess.run(["psql", "-h", host, "-p", str(port), "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1", "-qAtc",
                        sql], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed: {r.stderr.strip()}")
    return r.stdout


class Service:
    """`./system-trader run --config FILE` against a simulator, a database and a Redis prefix."""

    def __init__(self, repo: Path, workdir: Path, sim_port: int, db: str, redis_url: str, prefix: str,
                 symbols=("AAPL", "MSFT", "GOOGL"), token: str | None = None, memory_max_entries: int = 10000,
                 extra_yaml: str = "", start_timeout: float = 600):
        self.config = workdir / "collector_config.yaml"
        self.config.write_text(f"""polygon:
  websocket:
    url: ws://127.0.0.1:{sim_port}/stocks
    channels: [T, Q, AM]
    symbols: [{", ".join(symbols)}]
    stale_data_seconds: 0
  rest:
    url: http://127.0.0.1:{sim_port}
alpaca:
  websocket:
    enabled: false
cache:
  memory_max_entries: {memory_max_entries}
storage:
  url: jdbc:postgresql://127.0.0.1:5432/{db}
  user: postgres
  journal_dir: {workdir / "journal"}
redis:
  enabled: true
  url: {redis_url}
  prefix: {prefix}
service:
  http_port: 0
{extra_yaml}""")
        self.token = token
        self.env = _launcher_env({"POLYGON_API_KEY": SIMULATOR_POLYGON_KEY})
        if token:
            self.env["SYSTEM_TRADER_API_TOKEN"] = token
        self._err = open(workdir / "service.log", "w")
        self.proc = subprocess.Popen([str(repo / "system-trader"), "run", "--config", str(self.config)],
                                     stdout=subprocess.PIPE, stderr=self._err, text=True, env=self.env, cwd=workdir,
                                     start_new_session=True)
        self._out = _Lines(self.proc.stdout, workdir / "service.out")
        m = self._out.wait_for(r"HTTP API on (http://[\d.]+:\d+)", start_timeout, "the service's HTTP API")
        self.url = m.group(1)

    def get(self, path: str) -> dict:
        """The JSON of a 200 answer (the service's own answer, as Java made it)."""
        req = urllib.request.Request(self.url + path)
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def received(self) -> int:
        return sum(q["received"] for q in self.get("/api/quality"))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._err.close()


class LocalStack:
    """Simulator + service + throwaway database + unique Redis prefix, torn down by `close()`."""

    def __init__(self, repo: Path | None = None, symbols=("AAPL", "MSFT", "GOOGL"), rate: int = 300, seed: int = 7,
                 redis_url: str = "redis://127.0.0.1:6379", token: str | None = None, memory_max_entries: int = 10000,
                 keep_workdir: bool = False):
        self.repo = repo or repo_root()
        self.symbols = tuple(symbols)
        self.redis_url = redis_url
        self.token = token
        run_id = f"{os.getpid()}_{secrets.token_hex(4)}"
        self.db = f"st_py_{run_id}"
        self.prefix = f"st_py_{run_id}"
        self.workdir = Path(tempfile.mkdtemp(prefix="system-trader-py-"))
        self.keep_workdir = keep_workdir
        self.simulator = self.service = None
        try:
            psql(f"CREATE DATABASE {self.db}")
            self.simulator = Simulator(self.repo, self.workdir, symbols, rate, seed)
            self.service = Service(self.repo, self.workdir, self.simulator.port, self.db, redis_url, self.prefix,
                                   symbols, token, memory_max_entries)
        except BaseException:
            self.close()
            raise

    def client(self, **kwargs):
        from .provider import RealtimeDataProvider

        args = dict(url=self.service.url, redis_url=self.redis_url, redis_prefix=self.prefix, token=self.token)
        args.update(kwargs)
        return RealtimeDataProvider(**args)

    def java(self, *args: str, timeout: float = 120) -> dict:
        """`./system-trader <args> --config <the service's config>` and its JSON output (the Java provider)."""
        r = subprocess.run([str(self.repo / "system-trader"), *args, "--config", str(self.service.config)],
                           capture_output=True, text=True, env=self.service.env, timeout=timeout, cwd=self.workdir)
        if r.returncode != 0:
            raise RuntimeError(f"system-trader {' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
        return json.loads(r.stdout)

    def quiesce(self, timeout: float = 120) -> list[dict]:
        """Stops the market and waits until the service received every message sent; returns the truth."""
        self.simulator.stop()
        truth = self.simulator.truth()
        wait_until(lambda: self.service.received() >= len(truth), timeout,
                   f"the service to receive all {len(truth)} messages sent")
        return truth

    def close(self) -> None:
        for part in (self.service, self.simulator):
            if part is not None:
                try:
                    part.close()
                except Exception:  # the rest is taken down anyway
                    pass
        try:
            import redis

            r = redis.Redis.from_url(self.redis_url)
            keys = list(r.scan_iter(match=f"{self.prefix}:*", count=1000))
            for i in range(0, len(keys), 1000):
                r.delete(*keys[i:i + 1000])
            r.close()
        except Exception:
            pass
        try:
            psql(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
        except Exception:
            pass
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
