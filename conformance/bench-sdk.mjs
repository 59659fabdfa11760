#!/usr/bin/env node
// CPU per event of an official vendor SDK consuming the simulator's stream, for scripts/bench-sdk-cpu.sh.
//
// --provider alpaca: @alpacahq/alpaca-trade-api 4.x, stockStream({url: <base>/v2/<feed>}) (MessagePack, as the SDK
//   always speaks it), subscribeForTrades/Quotes(["*"]) in onConnect, onTrade/onQuote (and corrections, cancels)
//   count the events the SDK delivers.
// --provider polygon: @polygon.io/client-js 8.x, websocketClient(key, base).stocks(); the SDK sends the auth, and
//   this consumer does what every user of it must: subscribe T.*,Q.* after auth_success and JSON.parse each
//   frame (the SDK hands over strings), counting the T and Q events.
//
// The window starts after --warmup-s seconds of streaming (JIT warm) and lasts --duration-s seconds. CPU is the
// process's own (process.cpuUsage(): user + system of every thread of this node process). Prints exactly one line:
//   bench-sdk: provider=P events=N seconds=S rate=R cpu-ms=C cpu-us-per-event=U core-share=X% sdk=NAME@VERSION
// and exits 0; or "bench-sdk: FAIL <reason>" and exits 1 (disconnected, an SDK error, no data).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Alpaca } from "@alpacahq/alpaca-trade-api";
import { websocketClient } from "@polygon.io/client-js";
import { parseArgs, usage } from "./common.mjs";

const SPEC = {
  provider: { def: "alpaca", help: "alpaca | polygon" },
  url: { def: "ws://127.0.0.1:8765", help: "simulator base URL (Alpaca: /v2/<feed> is appended; Polygon: /stocks)" },
  feed: { def: "sip", help: "Alpaca feed" },
  "warmup-s": { def: "10", help: "seconds of streaming before the window" },
  "duration-s": { def: "20", help: "measured seconds" },
  "polygon-key": { env: "POLYGON_API_KEY", def: "sim-polygon-key", help: "Polygon API key" },
  key: { env: "ALPACA_KEY_ID", def: "sim-alpaca-key", help: "Alpaca key id" },
  secret: { env: "ALPACA_SECRET", def: "sim-alpaca-secret", help: "Alpaca secret" },
};

let opts;
try {
  opts = parseArgs(process.argv.slice(2), SPEC);
  if (opts.help) {
    console.log(usage("bench-sdk.mjs", SPEC));
    process.exit(0);
  }
  opts.warmup = Number(opts["warmup-s"]);
  opts.duration = Number(opts["duration-s"]);
  if (!(opts.warmup >= 0) || !(opts.duration > 0)) throw new Error("bad --warmup-s/--duration-s");
  if (opts.provider !== "alpaca" && opts.provider !== "polygon") throw new Error(`bad --provider ${opts.provider}`);
} catch (err) {
  console.log(`bench-sdk: FAIL bad arguments: ${err.message}`);
  process.exit(1);
}

const here = dirname(fileURLToPath(import.meta.url));
const sdkName = opts.provider === "alpaca" ? "@alpacahq/alpaca-trade-api" : "@polygon.io/client-js";
const sdkVersion = JSON.parse(readFileSync(join(here, "node_modules", sdkName, "package.json"), "utf8")).version;
const base = opts.url.replace(/\/+$/, "");

let events = 0;
let done = false;
let close = () => {};

function fail(reason) {
  if (done) return;
  done = true;
  console.log(`bench-sdk: FAIL provider=${opts.provider} ${String(reason).replace(/\s+/g, " ").slice(0, 400)}`);
  try {
    close();
  } catch {
    // exiting anyway
  }
  setTimeout(() => process.exit(1), 100);
}

let measuring = false;
function startClock() {
  if (measuring) return;
  measuring = true;
  // Warm-up first, then the window: CPU and events are read at the same instants, on this (the only JS) thread.
  setTimeout(() => {
    const cpu0 = process.cpuUsage();
    const events0 = events;
    const t0 = process.hrtime.bigint();
    setTimeout(() => {
      const cpu = process.cpuUsage(cpu0);
      const n = events - events0;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (n === 0) return fail("no events in the window");
      const cpuUs = cpu.user + cpu.system;
      done = true;
      console.log(
        `bench-sdk: provider=${opts.provider} events=${n} seconds=${seconds.toFixed(2)} rate=${Math.round(n / seconds)} ` +
          `cpu-ms=${(cpuUs / 1000).toFixed(0)} cpu-us-per-event=${(cpuUs / n).toFixed(3)} ` +
          `core-share=${((100 * cpuUs) / 1e6 / seconds).toFixed(0)}% sdk=${sdkName}@${sdkVersion}`,
      );
      try {
        close();
      } catch {
        // exiting anyway
      }
      setTimeout(() => process.exit(0), 200);
    }, opts.duration * 1000);
  }, opts.warmup * 1000);
}

const hardStop = setTimeout(() => fail("no data within the warm-up + window + 30 s"), (opts.warmup + opts.duration + 30) * 1000);
hardStop.unref();

if (opts.provider === "alpaca") {
  const stream = new Alpaca({ keyId: opts.key, secret: opts.secret }).marketData.stockStream({
    url: `${base}/v2/${opts.feed}`,
    reconnect: false,
    verbose: false,
  });
  close = () => stream.disconnect();
  const count = () => {
    events += 1;
  };
  stream.onConnect(() => {
    stream.subscribeForTrades(["*"]);
    stream.subscribeForQuotes(["*"]);
  });
  stream.on("subscription", () => startClock());
  stream.onTrade(count);
  stream.onQuote(count);
  stream.onCorrection(count);
  stream.onCancelError(count);
  stream.onError((err) => setImmediate(() => fail(`SDK error: ${err}`)));
  stream.onDisconnect(() => setImmediate(() => fail("disconnected")));
  stream.connect();
} else {
  const ws = websocketClient(opts["polygon-key"], base).stocks();
  close = () => ws.close();
  ws.onerror = () => setImmediate(() => fail("websocket error"));
  ws.onclose = (ev) => setImmediate(() => fail(`closed by the server: code=${ev.code} ${ev.reason || ""}`));
  ws.onmessage = (ev) => {
    const msgs = JSON.parse(ev.data);
    for (const m of msgs) {
      if (m.ev === "T" || m.ev === "Q") {
        events += 1;
      } else if (m.ev === "status") {
        if (m.status === "auth_success") ws.send(JSON.stringify({ action: "subscribe", params: "T.*,Q.*" }));
        else if (m.status === "success" && String(m.message).startsWith("subscribed to")) startClock();
        else if (m.status !== "connected" && m.status !== "success") fail(`status ${m.status}: ${m.message}`);
      }
    }
  };
}
