#!/usr/bin/env node
// Conformance check: the official Alpaca JavaScript SDK (@alpacahq/alpaca-trade-api 4.x) against
// the simulator's Alpaca market-data stream v2.
//
// Uses only the SDK's public API: new Alpaca({keyId, secret}).marketData.stockStream({url}),
// onConnect -> subscribeForTrades/Quotes/Bars, onTrade/onQuote/onBar to count what the SDK
// delivers, whenAuthenticated() for the auth outcome and getSubscriptions() for the server's
// subscription echo. The SDK itself speaks MessagePack (binary frames, Content-Type:
// application/msgpack on the upgrade), so this also proves the simulator's msgpack mode.
//
// Exit 0 only when every requested symbol got >= 1 trade, quote and bar through the SDK
// callbacks and the server's subscription echo lists every symbol for trades, quotes and bars;
// exit 1 with a one-line reason otherwise.
import { Alpaca } from "@alpacahq/alpaca-trade-api";
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
  url: {
    env: "ALPACA_WS_URL",
    def: "ws://127.0.0.1:8080",
    help: "base URL (then /v2/<feed> is appended) or a full stream URL ending in /v2/<feed>",
  },
  feed: { env: "ALPACA_FEED", def: "iex", help: "iex | sip | delayed_sip | test (used when --url has no path)" },
  key: { env: "ALPACA_KEY_ID", def: "sim-alpaca-key", help: "API key id" },
  secret: { env: "ALPACA_SECRET", def: "sim-alpaca-secret", help: "API secret" },
  symbols: { env: "CONFORMANCE_SYMBOLS", def: "AAPL,MSFT", help: "comma-separated tickers" },
  "timeout-ms": { env: "CONFORMANCE_TIMEOUT_MS", def: "30000", help: "give up after this long" },
  "min-duration-ms": {
    def: "3000",
    help: "stay connected at least this long, so the SDK's ping/pong keepalive is exercised",
  },
  "ping-interval-ms": { def: "1000", help: "SDK keepalive ping interval (SDK default 10000); keep it above --pong-wait-ms" },
  "pong-wait-ms": { def: "500", help: "SDK terminates the socket when a pong takes longer (SDK default 5000)" },
  verbose: { flag: true, def: false, help: "SDK verbose logging plus state changes on stderr" },
};

const NAME = "alpaca-sdk";
let opts;
try {
  opts = parseArgs(process.argv.slice(2), SPEC);
  if (opts.help) {
    console.log(usage("alpaca.mjs", SPEC));
    process.exit(0);
  }
  opts.symbolList = parseSymbols(opts.symbols);
  opts.timeoutMs = parseTimeoutMs(opts["timeout-ms"]);
  opts.minDurationMs = Number(opts["min-duration-ms"]);
  opts.pingIntervalMs = Number(opts["ping-interval-ms"]);
  opts.pongWaitMs = Number(opts["pong-wait-ms"]);
  for (const k of ["minDurationMs", "pingIntervalMs", "pongWaitMs"]) {
    if (!Number.isFinite(opts[k]) || opts[k] < 0) throw new Error(`bad ${k}: ${opts[k]}`);
  }
  if (opts.minDurationMs >= opts.timeoutMs) throw new Error("--min-duration-ms must be below --timeout-ms");
  // The SDK clears the pending pong deadline whenever it sends the next ping, so a missing pong
  // is only detected when the pong wait is shorter than the ping interval.
  if (opts.pingIntervalMs > 0 && opts.pongWaitMs >= opts.pingIntervalMs) {
    throw new Error("--pong-wait-ms must be below --ping-interval-ms (the SDK resets the pong deadline on each ping)");
  }
} catch (err) {
  console.log(`${NAME}: FAIL bad arguments: ${err.message}`);
  process.exit(1);
}

// Build the stream URL: the SDK uses `url` verbatim (no scheme rewrite, no feed appended).
function streamUrl(base, feed) {
  const u = new URL(base);
  if (u.pathname === "" || u.pathname === "/") u.pathname = `/v2/${feed}`;
  return u.toString().replace(/\/$/, "");
}

let url;
try {
  url = streamUrl(opts.url, opts.feed);
} catch (err) {
  console.log(`${NAME}: FAIL bad --url ${opts.url}: ${err.message}`);
  process.exit(1);
}
const feedLabel = new URL(url).pathname.replace(/^\/v2\//, "");
const symbols = opts.symbolList;
const tally = new Tally(symbols);
const log = (...a) => opts.verbose && console.error("[alpaca]", ...a);

let stream;
let done = false;
let authenticated = false;
let subscriptionEchoes = 0;
let corrections = 0;
let lastError;
const states = [];

const finish = finisher(NAME, () => {
  done = true;
  stream?.disconnect();
});

function progress() {
  return `feed=${feedLabel} states=${states.join(">")} auth=${authenticated} echoes=${subscriptionEchoes} ${tally.summary()}`;
}

function fail(reason) {
  if (done) return;
  finish(false, `${reason} [${progress()}]`);
}

const timer = setTimeout(() => {
  const what = [];
  if (!authenticated) what.push("not authenticated");
  const echo = echoMissing();
  if (echo.length) what.push(`subscription echo lacks ${echo.join(" ")}`);
  const missing = tally.missing();
  if (missing.length) what.push(`no data for ${missing.join(" ")}`);
  fail(`timeout after ${opts.timeoutMs}ms: ${what.join("; ")}`);
}, opts.timeoutMs);

/** Channels/symbols the server's latest `subscription` echo does not list (SDK state is overwritten by it). */
function echoMissing() {
  if (!stream || subscriptionEchoes === 0) return ["(no echo received)"];
  const subs = stream.getSubscriptions();
  const out = [];
  for (const ch of ["trades", "quotes", "bars"]) {
    const have = new Set(subs[ch] ?? []);
    const lacking = symbols.filter((s) => !have.has(s) && !have.has("*"));
    if (lacking.length) out.push(`${ch}:${lacking.join(",")}`);
  }
  return out;
}

let startedAt = Date.now();
let holdTimer;
function checkDone() {
  if (done) return;
  if (tally.complete() && echoMissing().length === 0) {
    const elapsed = Date.now() - startedAt;
    if (elapsed >= opts.minDurationMs) {
      finish(true, `${tally.summary()} feed=${feedLabel} held=${(elapsed / 1000).toFixed(1)}s`);
    } else if (!holdTimer) {
      // Everything arrived; keep the connection open a little longer so that several keepalive
      // pings go out. A missing pong makes the SDK terminate the socket, which fails the check.
      holdTimer = setTimeout(checkDone, opts.minDurationMs - elapsed + 5);
    }
  }
}

function validTimestamp(item) {
  return item.timestamp instanceof Date && !Number.isNaN(item.timestamp.getTime());
}

function accept(kind, item, problem) {
  if (done) return;
  if (!item || typeof item.symbol !== "string") return fail(`${kind} without symbol: ${shortJson(item)}`);
  if (!tally.has(item.symbol)) return fail(`${kind} for a symbol not requested: ${shortJson(item)}`);
  if (!validTimestamp(item)) return fail(`${kind} with an unparseable timestamp: ${shortJson(item)}`);
  if (problem) return fail(`bad ${kind} (${problem}): ${shortJson(item)}`);
  tally.add(item.symbol, kind === "trade" ? "trades" : kind === "quote" ? "quotes" : "bars");
  checkDone();
}

try {
  const alpaca = new Alpaca({ keyId: opts.key, secret: opts.secret });
  // reconnect:false: a dropped connection must fail the check instead of being papered over.
  stream = alpaca.marketData.stockStream({
    url,
    reconnect: false,
    pingIntervalMs: opts.pingIntervalMs,
    pongWaitMs: opts.pongWaitMs,
    verbose: opts.verbose,
  });
} catch (err) {
  finish(false, `SDK refused to create the stream: ${err.message}`);
}

if (stream) {
  stream.onStateChange((state) => {
    states.push(state);
    log("state", state);
  });
  stream.onConnect(() => {
    // Documented usage: subscribe once authenticated.
    stream.subscribeForTrades(symbols);
    stream.subscribeForQuotes(symbols);
    stream.subscribeForBars(symbols);
  });
  stream.onDisconnect(() => {
    if (!done) setImmediate(() => fail(`disconnected from ${url} (closed by the server, or terminated by the SDK after a late keepalive pong)`));
  });
  // Deferred so that an auth rejection is reported through whenAuthenticated() (a microtask) first.
  stream.onError((err) => {
    lastError = String(err);
    setImmediate(() => fail(`SDK reported an error: ${err}`));
  });
  stream.on("subscription", (subs) => {
    subscriptionEchoes += 1;
    log("subscription echo", shortJson(subs));
    checkDone();
  });

  stream.onTrade((t) =>
    accept("trade", t, !isFiniteNumber(t?.price) || t.price <= 0 ? "price" : !isFiniteNumber(t.size) ? "size" : null),
  );
  stream.onQuote((q) =>
    accept(
      "quote",
      q,
      !isFiniteNumber(q?.bidPrice) || !isFiniteNumber(q.askPrice) ? "bid/ask price" : !isFiniteNumber(q.bidSize) || !isFiniteNumber(q.askSize) ? "bid/ask size" : null,
    ),
  );
  stream.onBar((b) =>
    accept(
      "bar",
      b,
      [b?.open, b?.high, b?.low, b?.close, b?.volume].every(isFiniteNumber) ? (b.high < b.low ? "high < low" : null) : "o/h/l/c/v",
    ),
  );
  // Added automatically with trades by the real server; fine to receive, not required.
  stream.onCorrection(() => (corrections += 1));
  stream.onCancelError(() => (corrections += 1));
  // Channels we never subscribed to: receiving them is a server bug.
  for (const [kind, register] of [
    ["updated bar", "onUpdatedBar"],
    ["daily bar", "onDailyBar"],
    ["status", "onStatus"],
    ["luld", "onLuld"],
    ["imbalance", "onImbalance"],
    ["orderbook", "onOrderbook"],
    ["news", "onNews"],
  ]) {
    stream[register]((m) => fail(`unexpected ${kind} (not subscribed): ${shortJson(m)}`));
  }

  stream.whenAuthenticated().then((r) => {
    if (r.authenticated) {
      authenticated = true;
    } else {
      const code = r.code != null ? ` code=${r.code}` : "";
      const cause = lastError && lastError !== r.message ? ` (last error: ${lastError})` : "";
      fail(`authentication failed: status=${r.status}${code} message=${r.message}${cause}`);
    }
  });

  log(`connecting to ${url}`);
  startedAt = Date.now();
  stream.connect();
}
