"""Reading the simulator's truth file (`simulate --truth-file`: one JSON line per data message sent)."""


def sent(truth: list[dict], ev: str, symbol: str) -> list[dict]:
    """The events of kind `ev` (`T`, `Q`, `AM`) of `symbol` in the truth, in the order sent (injected anomalies out)."""
    return [line["event"] for line in truth
            if "anomaly" not in line and line.get("event", {}).get("ev") == ev and line["event"].get("sym") == symbol]


def trade_identity(e: dict) -> str:
    """A Polygon trade's identity as the service's `id` writes it (`exchange:trf_id:trade_id`)."""
    return f"{e['x']}:{e.get('trfi', '')}:{e['i']}"


def codes(v) -> list:
    """Polygon's conditions: a list for trades, one number for quotes; absent: none."""
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]
