#!/usr/bin/env python3
"""A notebook-style tour of the Python client for research (cells marked `# %%` run one by one in Jupyter or
VS Code, or all at once as a script).

    SYSTEM_TRADER_URL=http://127.0.0.1:8787 SYSTEM_TRADER_REDIS_URL=redis://127.0.0.1:6379 \
        python3 clients/python/examples/research_notebook.py
    python3 clients/python/examples/research_notebook.py --local   # starts the simulator and the service first

With `--local` it starts `./system-trader simulate` and `./system-trader run` from this checkout (the local
PostgreSQL on 127.0.0.1:5432, user postgres, in a throwaway database, and the Redis on 127.0.0.1:6379 under a
throwaway prefix) and takes them down at the end.
"""

# %% setup
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import pandas as pd  # noqa: E402

from system_trader import DataSource, NoDataInRangeError, RealtimeDataProvider, RecordType  # noqa: E402
from system_trader.local_stack import LocalStack, wait_until  # noqa: E402

stack = None
if "--local" in sys.argv:
    print("starting the simulator and the service ...")
    stack = LocalStack(symbols=("AAPL", "MSFT", "GOOGL"), rate=600)
    RealtimeDataProvider.configure(url=stack.service.url, redis_url=stack.redis_url, redis_prefix=stack.prefix)

    def streaming():
        try:
            now = pd.Timestamp.now(tz="UTC")
            return len(RealtimeDataProvider.get_quotes_dataframe("AAPL", now - pd.Timedelta("5s"), now)) > 0
        except NoDataInRangeError:
            return False

    wait_until(streaming, 120, "the first quotes")
client = RealtimeDataProvider.default()
print(client)

# %% latest prices, with where each came from
price = RealtimeDataProvider.get_latest_price("AAPL", DataSource.POLYGON)
print(f"AAPL {price:.2f} x {price.size} at {price.time} from {price.provenance['tier']}/{price.provenance['source']}")
prices = RealtimeDataProvider.get_multi_symbol_prices(["AAPL", "MSFT", "GOOGL"])
print(prices.to_frame()[["price", "size", "time", "tier", "fresh"]])

# %% the last five minutes of trades: a DataFrame indexed by event time (UTC, ns)
end = pd.Timestamp.now(tz="UTC")
start = end - pd.Timedelta(minutes=5)
trades = RealtimeDataProvider.get_trades_dataframe("AAPL", start, end, DataSource.POLYGON)
print(trades.dtypes.to_string())
print(trades[["price", "size", "exchange", "conditions"]].tail())
print("answered by:", [(p["tier"], p["events"]) for p in trades.attrs["provenance"]["parts"]])

# %% 10-second bars and VWAP from the trades with plain pandas
size = trades["size"].astype("float64")
ten_s = trades["price"].resample("10s").ohlc()
ten_s["volume"] = trades["size"].resample("10s").sum()
ten_s["vwap"] = (trades["price"] * size).resample("10s").sum() / size.resample("10s").sum()
print(ten_s.dropna().tail())

# %% quotes: the spread in basis points
quotes = RealtimeDataProvider.get_quotes_dataframe("AAPL", end - pd.Timedelta(seconds=30), end)
mid = (quotes["bid_price"] + quotes["ask_price"]) / 2
spread_bps = (quotes["ask_price"] - quotes["bid_price"]) / mid * 1e4
print(spread_bps.describe()[["mean", "50%", "max"]])

# %% minute bars: the closed ones, and the open bucket marked partial
try:
    bars = RealtimeDataProvider.get_ohlcv_dataframe("AAPL", start=end - pd.Timedelta(minutes=30),
                                                    source=DataSource.POLYGON)
    print(bars[["open", "high", "low", "close", "volume", "trade_count", "state", "tier"]].tail())
    print("partial bars:", list(bars.index[bars["partial"]]))
except NoDataInRangeError as e:
    print("no bars yet:", e)

# %% the newest event of each kind, from the cache
collector = client.collector
print(collector.get_latest_data("AAPL", RecordType.TRADE))
print(collector.get_latest_data("AAPL", RecordType.QUOTE))

# %% live: a few events straight from the cache writer's channel (needs a Redis URL)
if client.redis is not None:
    with client.stream(["AAPL"], types=["trade"]) as live:
        for event in live.events(timeout=10, max_events=5):
            print(event.time, event["price"], event["size"])

# %% done
client.close()
if stack is not None:
    stack.close()
