// Shared helpers for the vendor-SDK conformance checks (argument parsing, tallies, one-line results).
// Each check prints exactly one line on stdout ("<name>: ok ..." or "<name>: FAIL <reason>")
// and exits 0 on success, 1 on failure. Diagnostics go to stderr only with --verbose.

/**
 * Parses `--name value` / `--name=value` / `--flag` arguments. `spec` maps option names to
 * { env, def } (environment variable and default). Unknown options are an error.
 */
export function parseArgs(argv, spec) {
  const out = {};
  for (const [name, { env, def }] of Object.entries(spec)) {
    const fromEnv = env ? process.env[env] : undefined;
    out[name] = fromEnv !== undefined && fromEnv !== "" ? fromEnv : def;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      out.help = true;
      continue;
    }
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in spec)) throw new Error(`unknown argument: ${arg}`);
    const name = m[1];
    if (spec[name].flag) {
      out[name] = m[2] === undefined ? true : !/^(0|false|no)$/i.test(m[2]);
    } else if (m[2] !== undefined) {
      out[name] = m[2];
    } else {
      if (i + 1 >= argv.length) throw new Error(`missing value for --${name}`);
      out[name] = argv[++i];
    }
  }
  return out;
}

export function usage(name, spec) {
  const lines = [`usage: node ${name} [options]`];
  for (const [opt, { env, def, help }] of Object.entries(spec)) {
    lines.push(`  --${opt}${env ? ` (env ${env})` : ""}${def !== undefined ? ` [default ${def}]` : ""}  ${help ?? ""}`);
  }
  return lines.join("\n");
}

export function parseSymbols(text) {
  const symbols = String(text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (symbols.length === 0) throw new Error("no symbols given (--symbols AAPL,MSFT)");
  if (new Set(symbols).size !== symbols.length) throw new Error(`duplicate symbols in ${text}`);
  return symbols;
}

export function parseTimeoutMs(text) {
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`bad timeout: ${text}`);
  return ms;
}

/** Per-symbol counters for trades, quotes and bars. */
export class Tally {
  constructor(symbols) {
    this.symbols = symbols;
    this.per = new Map(symbols.map((s) => [s, { trades: 0, quotes: 0, bars: 0 }]));
  }

  has(symbol) {
    return this.per.has(symbol);
  }

  add(symbol, kind) {
    this.per.get(symbol)[kind] += 1;
  }

  total(kind) {
    let n = 0;
    for (const c of this.per.values()) n += c[kind];
    return n;
  }

  /** Human-readable list of what is still missing, empty when every symbol has all three kinds. */
  missing() {
    const out = [];
    for (const [sym, c] of this.per) {
      const kinds = ["trades", "quotes", "bars"].filter((k) => c[k] === 0);
      if (kinds.length > 0) out.push(`${sym}(${kinds.join("/")})`);
    }
    return out;
  }

  complete() {
    return this.missing().length === 0;
  }

  summary() {
    return `trades=${this.total("trades")} quotes=${this.total("quotes")} bars=${this.total("bars")} symbols=${this.symbols.join(",")}`;
  }
}

/**
 * Creates the finish function of a check: prints one line, runs `cleanup`, exits.
 * Only the first call has an effect.
 */
export function finisher(name, cleanup) {
  let finished = false;
  return function finish(ok, text) {
    if (finished) return;
    finished = true;
    const line = ok ? `${name}: ok ${text}` : `${name}: FAIL ${oneLine(text)}`;
    process.stdout.write(line + "\n");
    try {
      cleanup?.();
    } catch {
      // ignore: we are exiting anyway
    }
    // Give the close frame a moment to leave, then exit regardless of open handles.
    process.exitCode = ok ? 0 : 1;
    setTimeout(() => process.exit(ok ? 0 : 1), 100);
  };
}

export function oneLine(text) {
  return String(text).replace(/\s+/g, " ").trim().slice(0, 600);
}

export function isFiniteNumber(v) {
  return typeof v === "number" && Number.isFinite(v);
}

export function shortJson(value) {
  try {
    return oneLine(
      JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)),
    ).slice(0, 300);
  } catch {
    return String(value);
  }
}
