#!/usr/bin/env node
// Conformance check: the official Polygon.io JavaScript SDK (@polygon.io/client-js) against the
// simulator's Polygon stocks WebSocket.
//
// The SDK's websocket client is thin: websocketClient(apiKey, baseUrl).stocks() opens
// `${baseUrl}/stocks` with the `websocket` npm package (W3C API) and sends
// {"action":"auth","params":KEY} itself as soon as the socket opens. Everything after that is
// up to the user: we wait for auth_success, subscribe to T/Q/A/AM for every symbol, check the
// per-topic subscribe acks and count the events the SDK socket delivers.
//
// Exit 0 only when every requested symbol got >= 1 trade (T), quote (Q) and bar (A or AM)
// and every topic was acknowledged; exit 1 with a one-line reason otherwise.
import { websocketClient } from "@polygon.io/client-js";
import {
  Tally,
  finisher,
  isFiniteNumber,
  parseArgs,
  parseSymbols,
  parseTimeoutMs,
  shortJson,
  usage,
} from "./common.mjs";

const SPEC = {
  url: { env: "POLYGON_WS_URL", def: "ws://127.0.0.1:8080", help: "base URL; the SDK appends /stocks" },
  key: { env: "POLYGON_API_KEY", def: "sim-polygon-key", help: "API key" },
  symbols: { env: "CONFORMANCE_SYMBOLS", def: "AAPL,MSFT", help: "comma-separated tickers" },
  "timeout-ms": { env: "CONFORMANCE_TIMEOUT_MS", def: "30000", help: "give up after this long" },
  "am-window-ms": {
    env: "CONFORMANCE_AM_WINDOW_MS",
    def: "60000",
    help: "expected AM window e-s (60000 on the real feed; the simulator's --bar-interval-ms when shortened)",
  },
  verbose: { flag: true, def: false, help: "log every frame to stderr" },
};

const NAME = "polygon-sdk";
let opts;
try {
  opts = parseArgs(process.argv.slice(2), SPEC);
  if (opts.help) {
    console.log(usage("polygon.mjs", SPEC));
    process.exit(0);
  }
  opts.symbolList = parseSymbols(opts.symbols);
  opts.timeoutMs = parseTimeoutMs(opts["timeout-ms"]);
  opts.amWindowMs = Number(opts["am-window-ms"]);
  if (!Number.isInteger(opts.amWindowMs) || opts.amWindowMs <= 0) {
    throw new Error(`--am-window-ms must be a positive integer, got ${opts["am-window-ms"]}`);
  }
} catch (err) {
  console.log(`${NAME}: FAIL bad arguments: ${err.message}`);
  process.exit(1);
}

const baseUrl = String(opts.url).replace(/\/+$/, ""); // the SDK concatenates `${base}/stocks`
const symbols = opts.symbolList;
const tally = new Tally(symbols);
const topics = symbols.flatMap((s) => [`T.${s}`, `Q.${s}`, `A.${s}`, `AM.${s}`]);
const acked = new Set();
const log = (...a) => opts.verbose && console.error("[polygon]", ...a);

let ws;
let frames = 0;
let greeting = false;
let authenticated = false;
let subscribed = false;
let handshakeError;

const finish = finisher(NAME, () => {
  if (ws && ws.readyState === 1) ws.close(1000, "conformance check done");
});

function progress() {
  return `frames=${frames} greeting=${greeting} auth=${authenticated} subscribed=${subscribed} acks=${acked.size}/${topics.length} ${tally.summary()}`;
}

function fail(reason) {
  finish(false, `${reason} [${progress()}]`);
}

const timer = setTimeout(() => {
  const missingAcks = topics.filter((t) => !acked.has(t));
  const missing = tally.missing();
  const what = [];
  if (!greeting) what.push("no connected greeting");
  if (!authenticated) what.push("not authenticated");
  if (missingAcks.length) what.push(`no subscribe ack for ${missingAcks.join(",")}`);
  if (missing.length) what.push(`no data for ${missing.join(" ")}`);
  fail(`timeout after ${opts.timeoutMs}ms: ${what.join("; ")}`);
}, opts.timeoutMs);

function checkDone() {
  if (tally.complete() && acked.size === topics.length) {
    finish(true, `${tally.summary()} acks=${acked.size}`);
  }
}

const isMillis = (v) => Number.isInteger(v) && v >= 1e12 && v < 1e14;

function validate(m) {
  switch (m.ev) {
    case "T":
      if (!isFiniteNumber(m.p) || m.p <= 0) return "trade p must be a positive number";
      if (!isFiniteNumber(m.s) || m.s < 0) return "trade s must be a non-negative number";
      if (!isMillis(m.t)) return "trade t must be Unix milliseconds";
      if (m.i !== undefined && typeof m.i !== "string") return "trade i must be a string";
      if (m.x !== undefined && !Number.isInteger(m.x)) return "trade x must be an integer";
      if (m.c !== undefined && !Array.isArray(m.c)) return "trade c must be an array";
      return null;
    case "Q":
      for (const k of ["bp", "ap", "bs", "as"]) {
        if (!isFiniteNumber(m[k]) || m[k] < 0) return `quote ${k} must be a non-negative number`;
      }
      if (!isMillis(m.t)) return "quote t must be Unix milliseconds";
      return null;
    case "A":
    case "AM":
      for (const k of ["o", "h", "l", "c", "v"]) {
        if (!isFiniteNumber(m[k])) return `${m.ev} ${k} must be a number`;
      }
      if (!isMillis(m.s) || !isMillis(m.e)) return `${m.ev} s/e must be Unix milliseconds`;
      if (m.e - m.s !== (m.ev === "A" ? 1000 : opts.amWindowMs)) return `${m.ev} window e-s=${m.e - m.s}`;
      if (m.h < m.l) return `${m.ev} h < l`;
      return null;
    default:
      return "unknown ev";
  }
}

function onStatus(m) {
  const status = m.status;
  const message = String(m.message ?? "");
  if (status === "connected" || (status === "success" && /^connected/i.test(message) && frames === 1)) {
    greeting = true;
    return;
  }
  if (status === "auth_success") {
    if (authenticated) return fail(`second auth_success: ${shortJson(m)}`);
    authenticated = true;
    const params = topics.join(",");
    log("subscribe", params);
    ws.send(JSON.stringify({ action: "subscribe", params }));
    subscribed = true;
    return;
  }
  if (status === "success") {
    const sub = /^subscribed to: (.+)$/.exec(message);
    if (sub) {
      const topic = sub[1].trim();
      if (!topics.includes(topic)) return fail(`ack for a topic never requested: ${shortJson(m)}`);
      acked.add(topic);
      checkDone();
      return;
    }
    log("ignoring status", shortJson(m));
    return;
  }
  // auth_failed, auth_timeout, auth_required, max_connections, error, force_disconnect, ...
  fail(`server status ${status}: ${shortJson(m)}`);
}

function onEvent(m) {
  if (m === null || typeof m !== "object" || Array.isArray(m)) {
    return fail(`array element is not an object: ${shortJson(m)}`);
  }
  if (m.ev === "status") return onStatus(m);
  if (!["T", "Q", "A", "AM"].includes(m.ev)) return fail(`unexpected message: ${shortJson(m)}`);
  if (!subscribed) return fail(`data before subscribe: ${shortJson(m)}`);
  if (!tally.has(m.sym)) return fail(`data for a symbol not requested: ${shortJson(m)}`);
  const problem = validate(m);
  if (problem) return fail(`bad ${m.ev} event (${problem}): ${shortJson(m)}`);
  tally.add(m.sym, m.ev === "T" ? "trades" : m.ev === "Q" ? "quotes" : "bars");
  checkDone();
}

try {
  ws = websocketClient(opts.key, baseUrl).stocks();
} catch (err) {
  finish(false, `SDK refused to create the client: ${err.message}`);
}

// Diagnostic only: the W3C wrapper drops the handshake error text, the underlying client has it.
ws?._client?.on?.("connectFailed", (err) => {
  handshakeError = err?.message;
});

if (ws) {
  // Do NOT assign ws.onopen: the SDK's own onopen handler is what sends the auth message.
  ws.addEventListener("open", () => log(`open ${ws.url}`));
  ws.onerror = () => {
    // The handshake error text is captured by the listener above right after this event.
    setImmediate(() => fail(`websocket error connecting to ${baseUrl}/stocks: ${handshakeError ?? "connection failed"}`));
  };
  ws.onclose = (ev) => {
    setImmediate(() => fail(`connection closed by server: code=${ev.code} reason=${ev.reason || "-"}`));
  };
  ws.onmessage = (ev) => {
    frames += 1;
    if (typeof ev.data !== "string") return fail("received a binary frame; Polygon frames must be text JSON");
    log("<", ev.data.length > 400 ? ev.data.slice(0, 400) + "..." : ev.data);
    let parsed;
    try {
      parsed = JSON.parse(ev.data);
    } catch (err) {
      return fail(`frame is not JSON (${err.message}): ${ev.data.slice(0, 200)}`);
    }
    if (!Array.isArray(parsed)) return fail(`frame is not a JSON array: ${ev.data.slice(0, 200)}`);
    if (frames === 1) {
      const first = parsed[0];
      const ok = first && first.ev === "status" && (first.status === "connected" || first.status === "success");
      if (!ok) return fail(`first frame is not the connected greeting: ${ev.data.slice(0, 200)}`);
    }
    for (const m of parsed) onEvent(m);
  };
}
