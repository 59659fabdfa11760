// System Trader's dashboard: one event stream (GET /api/stream, Server-Sent Events read with fetch() so that the
// bearer token goes in a header, never in a URL) fills every panel once a second; the chart asks /api/bars.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const TOKEN_KEY = 'system-trader-token';
const INTERVAL_SECONDS = { '1m': 60, '5m': 300, '1h': 3600, '1d': 86400 };
const CANDLES = 120;            // the chart shows the last CANDLES intervals
const CHART_REFRESH_MS = 5000;
const STREAM_SILENT_MS = 5000;  // no snapshot for this long: the connection is shown as stalled
const UP = '#1a7f37';
const DOWN = '#c62828';

const needsToken = document.body.dataset.auth === 'bearer';
let token = needsToken ? sessionStorage.getItem(TOKEN_KEY) : null;
let lastSnapshotAt = 0;
let chart = null;
let streamAbort = null;

class Unauthorized extends Error {}

function authHeaders() {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function api(path, init = {}) {
  const r = await fetch(path, { ...init, headers: authHeaders() });
  if (r.status === 401) {
    signOut('The service refused the token.');
    throw new Unauthorized();
  }
  return r;
}

// ---------------------------------------------------------------- sign-in

function showLogin(message) {
  $('#main').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  setPill('#conn', 'signed out', '');
  $('#token').focus();
}

function signOut(message) {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  if (streamAbort) streamAbort.abort();
  showLogin(message);
}

$('#login').addEventListener('submit', async (e) => {
  e.preventDefault();
  token = $('#token').value.trim();
  $('#token').value = '';
  try {
    const r = await api('/api/collectors');
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    sessionStorage.setItem(TOKEN_KEY, token);
    start();
  } catch (err) {
    if (!(err instanceof Unauthorized)) showLogin(`The service did not answer: ${err.message}`);
  }
});

$('#logout').addEventListener('click', () => signOut(''));

// ---------------------------------------------------------------- the event stream

async function stream() {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 10000)) {
    streamAbort = new AbortController();
    try {
      const r = await api('/api/stream', { signal: streamAbort.signal });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      setPill('#conn', 'live', 'ok');
      delay = 1000;
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
          const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6)).join('\n');
          if (data) render(JSON.parse(data));
        }
      }
    } catch (err) {
      if (err instanceof Unauthorized || err.name === 'AbortError') return;
    }
    setPill('#conn', 'service unreachable: retrying', 'bad');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

setInterval(() => {
  if (lastSnapshotAt && Date.now() - lastSnapshotAt > STREAM_SILENT_MS && $('#conn').classList.contains('ok')) {
    setPill('#conn', 'no update for 5 s', 'warn');
  }
}, 1000);

// ---------------------------------------------------------------- panels

function render(s) {
  lastSnapshotAt = Date.now();
  setPill('#conn', 'live', 'ok');
  $('#clock').textContent = new Date(s.time).toLocaleTimeString();
  $('#ready').hidden = false;
  setPill('#ready', s.ready ? 'ready' : `not ready: ${s.reasons.join('; ')}`, s.ready ? 'ok' : 'warn');
  renderFeeds(s.feeds);
  renderSymbols(s.symbols);
  renderStorage(s.storage);
  renderGaps(s.gaps);
  if (s.quality) renderQuality(s.quality);
  chooseSymbols(s.symbols);
}

const STATE_LABEL = { STREAMING: ['streaming', 'ok'], CONNECTING: ['reconnecting: connecting', 'warn'],
  AUTHENTICATING: ['reconnecting: authenticating', 'warn'], SUBSCRIBING: ['reconnecting: subscribing', 'warn'],
  BACKING_OFF: ['reconnecting: waiting to retry', 'warn'], STOPPED: ['stopped', 'bad'], FAILED: ['failed', 'bad'] };

function renderFeeds(feeds) {
  fill('#feeds tbody', feeds, (f) => {
    const [label, cls] = STATE_LABEL[f.state] || [f.state, 'warn'];
    const total = Object.values(f.rates).reduce((a, b) => a + b, 0);
    const byType = Object.entries(f.rates).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ');
    const l = f.latency_ms;
    return [[f.name], [`${label}${f.state === 'STREAMING' ? '' : ` (${f.detail})`}`, cls, 'state'],
      [fmt(total, 0), 'num'], [byType || '-'], [`${fmt(l.p50, 1)} / ${fmt(l.p99, 1)} / ${fmt(l.max, 1)}`, 'num'],
      [String(f.reconnects), 'num'], [ago(f.seconds_since_last_message)]];
  }, (f) => f.name);
}

function renderSymbols(rows) {
  const flags = (r) => (r.flags.length ? r.flags.map((f) => el('span', f.replace('_', ' '), `flag ${f}`)) : 'ok');
  fill('#symbols tbody', rows, (r) => [[r.symbol], [r.source], [price(r.price), 'num price'], [price(r.bid), 'num'],
    [price(r.ask), 'num'], [ago(r.age_seconds), 'num'], [flags(r), r.flags.length ? 'flags' : 'flags ok']],
  (r) => `${r.source}/${r.symbol}`);
  if (!rows.length) fill('#symbols tbody', [1], () => [['no symbol subscribed', 'muted']]);
}

function renderStorage(st) {
  const db = st.database;
  const items = [['database', db.state === 'OFF' ? 'off (storage.enabled: false)' : dbState(db), dbClass(db)]];
  if (db.state !== 'OFF') {
    items.push(['writer lag', `${db.events_in_flight} events in flight, ${db.queue_batches} batches queued, `
      + `last write ${fmt(db.last_write_ms, 1)} ms`]);
    items.push(['spill journal', `${bytes(db.journal_bytes)} (${db.journal_batches_pending} batches pending)`,
      db.journal_batches_pending > 0 ? 'warn' : '']);
    items.push(['lost / rejected', `${db.events_lost} / ${db.events_rejected}`, db.events_lost > 0 ? 'bad' : '']);
  }
  const rd = st.redis;
  items.push(['Redis', rd.state === 'OFF' ? 'off (redis.enabled: false)'
    : `${rd.state.toLowerCase()}, queue ${rd.queue_depth}, written ${rd.written}, dropped ${rd.dropped}`,
  rd.state === 'CONNECTED' ? 'ok' : rd.state === 'OFF' ? '' : 'bad']);
  const dl = $('#storage dl');
  dl.replaceChildren(...items.flatMap(([k, v, cls]) => [el('dt', k), el('dd', v, cls)]));
}

function dbState(db) {
  if (db.state === 'DATABASE_DOWN' || db.database_down_seconds > 0) {
    return `not answering for ${db.database_down_seconds} s: batches go to the spill journal`;
  }
  return { WRITING: 'writing', CATCHING_UP: 'catching up: replaying the spill journal', STOPPED: 'stopped' }[db.state]
    || db.state.toLowerCase();
}

function dbClass(db) {
  if (db.state === 'DATABASE_DOWN' || db.database_down_seconds > 0 || db.losing_data) return 'bad';
  return db.state === 'WRITING' ? 'ok' : 'warn';
}

function renderGaps(gaps) {
  $('#gaps .empty').hidden = gaps.length > 0;
  fill('#gaps tbody', gaps, (g) => [[new Date(g.start).toLocaleTimeString()], [`${g.source}/${g.feed}`],
    [g.end ? `${fmt(g.seconds, 1)} s` : `open, ${fmt(g.seconds, 0)} s`, 'num'], [g.cause],
    [g.symbols.join(', ')], [`${g.backfill.outcome}: ${g.backfill.detail}`, outcomeClass(g.backfill.outcome)]],
  (g) => `${g.source}/${g.feed}/${g.start}`);
}

function outcomeClass(o) {
  return o === 'filled' ? 'ok' : o === 'failed' ? 'bad' : 'warn';
}

function renderQuality(reports) {
  const body = $('#quality .body');
  body.replaceChildren(...reports.map((q) => {
    const div = el('div', '', 'quality-feed');
    div.append(el('h3', `${q.source} ${q.feed}`));
    div.append(el('p', `received ${q.received} = accepted ${q.accepted} + flagged ${q.flagged} + rejected ${q.rejected}`
      + ` + filtered ${q.filtered}${q.accounted_for ? '' : '  (does NOT add up)'}`, q.accounted_for ? '' : 'bad'));
    const rules = Object.entries(q.rules).map(([k, v]) => `${k} ${v}`).join(', ');
    div.append(el('p', `by rule: ${rules || 'none triggered'}`, 'muted'));
    const table = el('table');
    table.innerHTML = '<thead><tr><th>symbol</th><th class="num">received</th><th class="num">accepted</th>'
      + '<th class="num">flagged</th><th class="num">rejected</th><th class="num">filtered</th>'
      + '<th class="num">suspicious</th><th class="num">crossed</th></tr></thead><tbody></tbody>';
    div.append(table);
    fill($('tbody', table), Object.entries(q.by_symbol), ([sym, s]) => [[sym], [s.received, 'num'],
      [s.accepted, 'num'], [s.flagged, 'num'], [s.rejected, 'num'], [s.filtered, 'num'], [s.suspicious, 'num'],
      [s.crossed_quotes, 'num']]);
    const recent = q.quarantine.recent;
    div.append(el('p', `quarantine: ${q.quarantine.total} rejected message(s)${recent.length ? ', latest:' : ''}`));
    if (recent.length) {
      const ul = el('ul');
      ul.append(...recent.map((r) => el('li', r)));
      div.append(ul);
    }
    return div;
  }));
}

// ---------------------------------------------------------------- chart

function chooseSymbols(rows) {
  const select = $('#chart-symbol');
  const symbols = [...new Set(rows.map((r) => r.symbol))];
  if (symbols.join() === [...select.options].map((o) => o.value).join()) return;
  const was = select.value;
  select.replaceChildren(...symbols.map((s) => el('option', s)));
  if (symbols.includes(was)) select.value = was;
  loadChart(true);
}

for (const id of ['#chart-symbol', '#chart-interval', '#chart-origin']) {
  $(id).addEventListener('change', () => loadChart(true));
}

// The chart's bars: a full load of the window when the choice changes (and every FULL_EVERY refreshes, 5 minutes, for
// backfilled or revised history: a window older than the database's may be asked of the provider's REST API); in
// between only the tail (the last two buckets to now), merged in, which the memory tier answers cheaply.
const FULL_EVERY = 60;
let shown = { key: '', bars: [], refreshes: 0 };
let chartBusy = null;
let chartAgain = false;

async function loadChart(full = false) {
  if (chartBusy) { // one request at a time; the newest wish runs after it
    chartAgain = chartAgain || full;
    return;
  }
  chartBusy = loadBars(full).catch((err) => {
    if (!(err instanceof Unauthorized)) $('#chart-state').textContent = `chart: ${err.message}`;
  });
  await chartBusy;
  chartBusy = null;
  if (chartAgain) {
    chartAgain = false;
    loadChart(true);
  }
}

async function loadBars(full) {
  const symbol = $('#chart-symbol').value;
  if (!symbol || !window.echarts) return;
  const interval = $('#chart-interval').value;
  const origin = $('#chart-origin').value;
  const key = `${symbol} ${interval} ${origin}`;
  const width = INTERVAL_SECONDS[interval] * 1000;
  const end = new Date();
  const windowStart = new Date(end.getTime() - CANDLES * width);
  const tail = !full && shown.key === key && shown.bars.length > 0 && ++shown.refreshes % FULL_EVERY !== 0;
  const from = tail ? new Date(Math.max(Date.parse(shown.bars.at(-1).time) - width, windowStart.getTime())) : windowStart;
  const query = (start) => new URLSearchParams({ symbol, interval, origin, start: start.toISOString(),
    end: end.toISOString(), limit: '10000' });
  const r = await api(`/api/bars?${query(from)}`);
  const answer = await r.json();
  if (key !== `${$('#chart-symbol').value} ${$('#chart-interval').value} ${$('#chart-origin').value}`) return;
  const fetched = r.ok && answer.bars ? answer.bars : [];
  const bars = tail ? shown.bars.filter((b) => Date.parse(b.time) >= windowStart.getTime()
    && Date.parse(b.time) < from.getTime()).concat(fetched) : fetched;
  if (!tail) shown = { key, bars, refreshes: 0 };
  shown.bars = bars;
  const box = $('#chart');
  box.dataset.query = query(windowStart).toString(); // the window the candles show (the browser test asks it too)
  box.dataset.candles = String(bars.length);
  box.dataset.loads = String(Number(box.dataset.loads || 0) + 1);
  drawCandles(bars);
  if (!bars.length) {
    $('#chart-state').textContent = `no ${interval} bars for ${symbol} yet${r.ok ? '' : ` (${answer.message})`}`;
    return;
  }
  const tiers = {};
  for (const b of bars) tiers[b.tier] = (tiers[b.tier] || 0) + 1;
  const byTier = Object.entries(tiers).map(([t, n]) => `${t} ${n}`).join(', ');
  const partial = bars.at(-1).state === 'partial' ? '; the last candle (faded) is partial' : '';
  $('#chart-state').textContent = `${bars.length} ${origin} bars; by tier: ${byTier}${partial}`;
}

function drawCandles(bars) {
  chart = chart || echarts.init($('#chart'));
  const times = bars.map((b) => new Date(b.time).toLocaleString([], { month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit' }));
  const faded = (b) => (b.state === 'partial' ? { opacity: 0.4, borderType: 'dashed' } : undefined);
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'cross' }, formatter: (ps) => tooltip(bars[ps[0].dataIndex]) },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: [{ left: 72, right: 16, top: 12, height: '62%' }, { left: 72, right: 16, top: '78%', height: '14%' }],
    xAxis: [{ type: 'category', data: times }, { type: 'category', gridIndex: 1, data: times, axisLabel: { show: false } }],
    yAxis: [{ scale: true }, { gridIndex: 1, scale: true, splitNumber: 2,
      axisLabel: { formatter: (v) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : v) } }],
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1] }],
    series: [
      { name: 'price', type: 'candlestick',
        itemStyle: { color: UP, color0: DOWN, borderColor: UP, borderColor0: DOWN },
        data: bars.map((b) => ({ value: [b.open, b.close, b.low, b.high], itemStyle: faded(b) })) },
      { name: 'volume', type: 'bar', xAxisIndex: 1, yAxisIndex: 1,
        data: bars.map((b) => ({ value: b.volume, itemStyle: { color: b.close >= b.open ? UP : DOWN,
          opacity: b.state === 'partial' ? 0.4 : 0.8 } })) },
    ],
  }, true);
}

function tooltip(b) {
  if (!b) return '';
  return [new Date(b.time).toLocaleString(), `open ${b.open} high ${b.high} low ${b.low} close ${b.close}`,
    `volume ${b.volume}${b.trade_count >= 0 ? `, ${b.trade_count} trades` : ''}`,
    `${b.state} ${b.origin} bar from ${b.source}, tier: ${b.tier}`].map(escapeHtml).join('<br>');
}

setInterval(() => { if (!document.hidden && !$('#main').hidden) loadChart(); }, CHART_REFRESH_MS);
window.addEventListener('resize', () => chart && chart.resize());

// ---------------------------------------------------------------- helpers

/** Replaces a tbody's rows with one per item (each marked with its key in data-key); a cell is [content, ...classes]. */
function fill(tbody, items, cells, key = (x, i) => i) {
  const body = typeof tbody === 'string' ? $(tbody) : tbody;
  const rows = items.map((item, i) => {
    const tr = el('tr');
    tr.dataset.key = key(item, i);
    for (const [content, ...classes] of cells(item, i)) {
      const td = el('td', Array.isArray(content) ? '' : content, classes.join(' '));
      if (Array.isArray(content)) td.append(...content);
      tr.append(td);
    }
    return tr;
  });
  body.replaceChildren(...rows);
}

function el(tag, text = '', cls = '') {
  const e = document.createElement(tag);
  if (text !== '' && text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function setPill(sel, text, cls) {
  const p = $(sel);
  p.textContent = text;
  p.className = `pill ${cls}`;
}

function fmt(n, digits) {
  return n === undefined || n === null || Number.isNaN(n) ? '-'
    : Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function price(p) {
  return p === undefined ? '-' : fmt(p, 2);
}

function ago(seconds) {
  return seconds === undefined || seconds < 0 ? 'never' : seconds < 1 ? 'now' : `${fmt(seconds, 0)} s ago`;
}

function bytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${fmt(n / 1024, 1)} KiB` : `${fmt(n / 1048576, 1)} MiB`;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------- start

function start() {
  $('#login').hidden = true;
  $('#main').hidden = false;
  $('#logout').hidden = !needsToken;
  // the quality reports come with every fifth snapshot: the first one now
  api('/api/quality').then((r) => r.json()).then(renderQuality).catch(() => {});
  stream();
}

if (needsToken && !token) showLogin(''); else start();
