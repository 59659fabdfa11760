#!/usr/bin/env python3
"""Validate a Polygon (or Alpaca) WebSocket setup, as the original `examples/test_polygon_websocket.py` did:

    python3 clients/python/examples/test_polygon_websocket.py --symbols AAPL,MSFT --duration 60 --check-quality
    python3 clients/python/examples/test_polygon_websocket.py --simulator --duration 10 --check-quality

It runs the same check as `./system-trader test-websocket` (that command, with `--report-json`: the configured
credentials and endpoint, live progress on standard error) and renders its report with pandas: messages per symbol
and type, latency percentiles, reconnects and gaps, and with `--check-quality` the cleaner's quality report per
symbol. `--simulator` starts the exchange simulator from this checkout first and points the check at it with the
simulator's key: no account, no network. Exit status is the command's: 0 data arrived, 3 credentials missing or
rejected, 4 endpoint unreachable, 5 no data for the symbols.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import pandas as pd  # noqa: E402

from system_trader.local_stack import SIMULATOR_POLYGON_KEY, Simulator, repo_root  # noqa: E402


def render(r: dict, check_quality: bool) -> None:
    pd.set_option("display.width", 160)
    print(f"\n{r['provider']} {r['url']}  channels {','.join(r['channels'])}  "
          f"{r['seconds']:.1f} s ({r['streamingSeconds']:.1f} s streaming), final state {r['finalState']}")
    by_symbol = pd.DataFrame(r["bySymbol"]).T.fillna(0).astype("int64")
    by_symbol.index.name = "symbol"
    print(f"\nmessages: {r['messages']} ({r['averagePerSecond']:.0f}/s)\n{by_symbol.to_string()}")
    print("\nlatency (ms, receive time minus the exchange's time):\n"
          + pd.Series(r["latencyMs"]).to_frame("ms").T.to_string(index=False))
    gaps = r["gaps"]
    print(f"\nreconnects: {sum(r['reconnectsByCause'].values())} {r['reconnectsByCause'] or ''}  outages: "
          f"{gaps['outageCount']}  sequence gaps: {gaps['sequenceGaps']} ({gaps['sequenceNumbersMissing']} numbers)")
    if r["symbolsWithoutData"]:
        print("symbols without data: " + ", ".join(r["symbolsWithoutData"]))
    q = r.get("quality")
    if check_quality and q:
        print(f"\nquality ({q['source']}/{q['feed']}, eligibility table {q['eligibilityTable']}): received "
              f"{q['received']}, accepted {q['accepted']}, flagged {q['flagged']}, rejected {q['rejected']}, "
              f"filtered {q['filtered']}; every message accounted for: {q['accountedFor']}")
        if q["rules"]:
            print("rules: " + ", ".join(f"{k} {v}" for k, v in q["rules"].items()))
        per = pd.DataFrame(q["bySymbol"]).T
        keep = [c for c in per.columns if not isinstance(per[c].iloc[0], (dict, list))]
        print(per[keep].to_string())
        for item in q["quarantine"]["recent"][:10]:
            print("quarantined: " + json.dumps(item)[:200])
    o = r["outcome"]
    print(f"\nresult: {o['result']} ({o['reason']}), exit {o['exitCode']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--symbols", default="AAPL,MSFT", help="comma-separated symbols (default AAPL,MSFT)")
    ap.add_argument("--duration", type=int, default=60, help="seconds to listen (default 60)")
    ap.add_argument("--check-quality", action="store_true", help="also show the cleaner's quality report")
    ap.add_argument("--provider", default="polygon", choices=["polygon", "alpaca"])
    ap.add_argument("--url", help="WebSocket endpoint (default: the configured one)")
    ap.add_argument("--simulator", action="store_true",
                    help="start the exchange simulator from this checkout and check against it")
    ap.add_argument("--report-json", help="also keep the report as JSON in this file")
    args = ap.parse_args(argv)

    repo = repo_root(Path(__file__))
    env = dict(os.environ)
    sim = None
    work = Path(tempfile.mkdtemp(prefix="test-websocket-"))
    try:
        url = args.url
        if args.simulator:
            if args.provider != "polygon":
                ap.error("--simulator checks the Polygon stream (use the CLI for Alpaca: ./system-trader test-websocket)")
            print("starting the exchange simulator (./system-trader simulate) ...", file=sys.stderr)
            sim = Simulator(repo, work, symbols=args.symbols.split(","), truth=False)
            url = f"ws://127.0.0.1:{sim.port}/stocks"
            env["POLYGON_API_KEY"] = SIMULATOR_POLYGON_KEY
        report = Path(args.report_json) if args.report_json else work / "report.json"
        cmd = [str(repo / "system-trader"), "test-websocket", "--provider", args.provider, "--symbols", args.symbols,
               "--duration", str(args.duration), "--report-json", str(report), "--progress", "lines"]
        if args.check_quality:
            cmd.append("--check-quality")
        if url:
            cmd += ["--url", url]
        # the command's own report goes to a file; its progress lines to standard error
        with open(work / "test-websocket.out", "w") as out:
            rc = subprocess.run(cmd, cwd=repo, env=env, stdout=out).returncode
        if not report.exists():
            sys.stderr.write((work / "test-websocket.out").read_text())
            return rc or 1
        render(json.loads(report.read_text()), args.check_quality)
        return rc
    finally:
        if sim is not None:
            sim.close()
        if not args.report_json:
            import shutil
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
