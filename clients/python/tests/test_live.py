"""The live iterator delivers every event the cache writer published during its window, each once.

The window: the market is stopped, the iterator subscribes (Redis confirmed the subscription when `stream()`
returns), the market runs again, then stops; every AAPL trade and quote the simulator sent in between reached the
service, whose cache writer published it. The iterator must yield exactly those: no event missing, none twice,
no other symbol or type.
"""

from __future__ import annotations

from system_trader.local_stack import wait_until
from truth import codes, sent, trade_identity


def test_stream_delivers_every_event_published_in_its_window(stack, client):
    stack.quiesce()
    try:
        _window(stack, client)
    finally:
        stack.simulator.resume()


def _window(stack, client):
    with client.stream(["AAPL"], types=["trade", "quote"]) as live:
        before = len(stack.simulator.truth())
        stack.simulator.resume()
        got = []
        # read while the market runs, until a few hundred AAPL events came
        for ev in live.events(timeout=60):
            got.append(ev)
            if len(got) >= 300:
                break
        truth = stack.quiesce()
        window = truth[before:]
        trades = {trade_identity(e): e for e in sent(window, "T", "AAPL")}
        quotes = {f"q{e['q']}": e for e in sent(window, "Q", "AAPL")}
        expected = len(trades) + len(quotes)
        assert expected >= 300

        def all_read():
            for ev in live.events(timeout=0.5):
                got.append(ev)
            return len(got) >= expected

        wait_until(all_read, 60, f"{expected} events from the live channel", interval=0)
        for ev in live.events(timeout=1.0):  # nothing more may come
            got.append(ev)

    assert {e["symbol"] for e in got} == {"AAPL"}
    assert {e["type"] for e in got} == {"trade", "quote"}
    assert {e.provenance["channel"] for e in got} == {f"{stack.prefix}:live:trade", f"{stack.prefix}:live:quote"}
    got_trades = {e["id"]: e for e in got if e["type"] == "trade"}
    got_quotes = {e["id"]: e for e in got if e["type"] == "quote"}
    assert len(got_trades) + len(got_quotes) == len(got), "an event came twice"
    assert set(got_trades) == set(trades)
    assert set(got_quotes) == set(quotes)
    for i, e in got_trades.items():
        t = trades[i]
        assert (e["event_ns"], e["price"], e["size"], e.get("conditions", [])) == (t["t"] * 1_000_000, t["p"], t["s"],
                                                                                    codes(t.get("c")))
    for i, e in got_quotes.items():
        q = quotes[i]
        assert (e["event_ns"], e["bid_price"], e["ask_price"], e["bid_size"], e["ask_size"]) == (
            q["t"] * 1_000_000, q["bp"], q["ap"], q["bs"], q["as"])
