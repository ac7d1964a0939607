// Strata dashboard: plain JS, no build step. Everything a client can influence (remote addresses,
// tapped frames, close reasons) is inserted with textContent, never as HTML.
'use strict';
(() => {
  const $ = (sel) => document.querySelector(sel);
  const HISTORY_POINTS = 300;
  const state = {
    sort: 'id', desc: false, listener: '', node: '', limit: 100, text: '',
    selected: null, events: null, tapEvents: null, tap: null, tapSeq: 0,
    openIds: new Set(), listeners: new Set(), nodes: new Set(), lastT: 0,
  };

  // ---- small helpers ----
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'data') Object.entries(v).forEach(([dk, dv]) => { e.dataset[dk] = dv; });
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const td = (v, cls) => el('td', cls ? { class: cls } : {}, v);
  const num = (v) => td(v, 'num');
  function bytes(n) {
    if (n < 1024) return n + ' B';
    const u = ['KiB', 'MiB', 'GiB', 'TiB'];
    let i = -1;
    do { n /= 1024; i++; } while (n >= 1024 && i < u.length - 1);
    return n.toFixed(n < 10 ? 1 : 0) + ' ' + u[i];
  }
  function dur(ms) {
    if (ms < 1000) return ms + ' ms';
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  }
  const rate = (r) => (r >= 100 ? Math.round(r) : r.toFixed(1));
  const time = (t) => new Date(t).toLocaleTimeString();
  function token() { return $('#token').value.trim(); }
  function authHeaders() { return token() ? { Authorization: 'Bearer ' + token() } : {}; }
  function message(text) { $('#d-message').textContent = text || ''; }

  async function call(method, url) {
    const r = await fetch(url, { method, headers: authHeaders(), credentials: 'same-origin' });
    let body = {};
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) {
      const hint = r.status === 401 ? ' — enter the admin token at the top right' : '';
      throw new Error((body.error || r.statusText) + hint);
    }
    return body;
  }

  // ---- charts (uPlot from a WebJar) ----
  const series = { t: [], rps: [], p99: [], conns: [] };
  const charts = {};
  function makeChart(id, label, stroke, key) {
    const host = document.getElementById(id);
    const opts = {
      width: Math.max(200, host.clientWidth || 300), height: 150,
      legend: { show: false },
      axes: [{ stroke: '#7d8896', grid: { stroke: '#2a323c' } }, { stroke: '#7d8896', grid: { stroke: '#2a323c' }, size: 50 }],
      series: [{}, { label, stroke, width: 2, fill: stroke + '22', spanGaps: false }],
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
    };
    charts[key] = new uPlot(opts, [series.t, series[key]], host);
  }
  function addPoint(p) {
    if (!p || p.t <= state.lastT) return;
    state.lastT = p.t;
    series.t.push(p.t / 1000);
    series.rps.push(p.rps);
    series.p99.push(p.p99Ms === null || p.p99Ms === undefined ? null : p.p99Ms);
    series.conns.push(p.connections);
    if (series.t.length > HISTORY_POINTS) Object.values(series).forEach((a) => a.shift());
  }
  function redrawCharts() {
    for (const [key, u] of Object.entries(charts)) u.setData([series.t, series[key]]);
  }
  window.addEventListener('resize', () => {
    for (const [key, u] of Object.entries(charts)) {
      const w = document.getElementById('chart-' + key).clientWidth;
      if (w > 0) u.setSize({ width: w, height: 150 });
    }
  });

  // ---- listeners ----
  function renderListeners(listeners) {
    const body = $('#listeners tbody');
    body.replaceChildren(...listeners.map((l) => {
      const c = l.connections;
      const stateBadge = el('span', { class: 'badge ' + (l.state === 'listening' ? 'ok' : 'warn') }, l.state);
      const drain = l.state === 'listening'
        ? el('button', { type: 'button', class: 'drain', onclick: () => drainListener(l.name) }, 'drain') : '';
      const clustered = new Set(listeners.map((x) => x.node)).size > 1;
      return el('tr', { data: { name: l.name } },
        td(clustered ? l.name + ' @' + l.node : l.name), td(l.transport === 'udp' ? l.port + '/udp' : l.port), td(l.codec), td(l.address), td(stateBadge),
        num(c.current), num(c.max), num(c.total),
        el('td', { class: 'num', title: 'refused at maxConnections · refused at maxConnectionsPerIp · closed for memory'
          + ' · closed at frameTimeout · closed as slow consumers · requests refused by rateLimit' },
          [c.rejected, c.rejectedPerIp || 0, c.closedForMemory || 0, c.closedFrameTimeout || 0,
            c.closedSlowConsumer || 0, l.rateLimited || 0].join(' · ')),
        num(l.framesIn + ' / ' + l.framesOut), num(bytes(l.bytesIn) + ' / ' + bytes(l.bytesOut)),
        num(rate(l.requests.perSecond)), num(l.requests.errors + l.requests.decodeErrors),
        num(l.latency.p50Ms.toFixed(2)), num(l.latency.p99Ms.toFixed(2)), td(drain));
    }));
    const select = $('#f-listener');
    const nodes = $('#f-node');
    for (const l of listeners) {
      if (!state.listeners.has(l.name)) {
        state.listeners.add(l.name);
        select.append(el('option', { value: l.name }, l.name));
      }
      if (l.node && !state.nodes.has(l.node)) {
        state.nodes.add(l.node);
        nodes.append(el('option', { value: l.node }, l.node));
      }
    }
  }
  // ---- udp senders (one request per udp listener and tick, only when there is one) ----
  let sendersBusy = false;
  async function renderSenders(listeners) {
    const udp = listeners.filter((l) => l.transport === 'udp');
    $('#senders-section').hidden = udp.length === 0;
    if (udp.length === 0 || sendersBusy) return;
    sendersBusy = true;
    try {
      const names = [...new Set(udp.map((l) => l.name))];
      const answers = await Promise.all(names.map((n) => call('GET', '/api/listeners/' + encodeURIComponent(n) + '/senders?limit=20')));
      const now = Date.now();
      $('#senders tbody').replaceChildren(...answers.flatMap((a) => a.senders.map((s) => el('tr', {},
        td(a.listener), td(s.remote), num(s.datagramsIn + ' / ' + s.datagramsOut),
        num(bytes(s.bytesIn) + ' / ' + bytes(s.bytesOut)), num(s.errors), num(s.dropped + ' · ' + s.oversized),
        num(dur(Math.max(0, now - s.lastSeen)) + ' ago')))));
      $('#senders-totals').textContent = udp.map((l) => l.name + ': ' + l.udp.senders + ' of ' + l.udp.maxSenders
        + ' senders, ' + l.udp.sendersEvicted + ' evicted, ' + l.udp.sendersExpired + ' expired, '
        + l.udp.datagramsIn + ' datagrams in, ' + l.udp.datagramsOut + ' out, ' + l.udp.datagramsDropped + ' dropped, '
        + l.udp.repliesOversized + ' replies too large').join(' · ');
    } catch (e) {
      $('#senders-totals').textContent = 'senders: ' + e.message;
    } finally {
      sendersBusy = false;
    }
  }

  // ---- connectors ----
  const connectorSeen = new Map(); // name -> [time ms, requests] of the previous tick, for req/s
  function renderConnectors(connectors) {
    $('#connectors-section').hidden = !connectors || connectors.length === 0;
    if (!connectors) return;
    const now = Date.now();
    $('#connectors tbody').replaceChildren(...connectors.map((c) => {
      const prev = connectorSeen.get(c.name);
      const rps = prev && now > prev[0] ? (c.requests - prev[1]) * 1000 / (now - prev[0]) : 0;
      connectorSeen.set(c.name, [now, c.requests]);
      const errors = Object.values(c.errors).reduce((a, b) => a + b, 0);
      const lastError = (c.connections.find((x) => x.lastError) || {}).lastError || '';
      const cls = c.state === 'up' ? 'ok' : c.state === 'degraded' ? 'warn' : 'bad';
      return el('tr', { data: { name: c.name } },
        td(c.name), td(c.address), td(c.hosts.join(', ')), td(c.codec + (c.correlation === 'multiplexed' ? ' (tagged)' : '')),
        td(el('span', { class: 'badge ' + cls }, c.state)),
        td(el('span', { class: 'badge ' + (c.circuit === 'closed' ? 'ok' : 'bad') }, c.circuit)),
        num(c.open + ' / ' + c.pool), num(c.inFlight), num(rate(rps)), num(c.requests), num(errors),
        num(c.p50Ms == null ? '–' : c.p50Ms.toFixed(2)), num(c.p99Ms == null ? '–' : c.p99Ms.toFixed(2)),
        td(lastError));
    }));
  }
  async function drainListener(name) {
    if (!window.confirm('Drain listener ' + name + '? It stops accepting connections; open ones close after the grace period.')) return;
    try { await call('POST', '/api/listeners/' + encodeURIComponent(name) + '/drain'); } catch (e) { window.alert(e.message); }
  }

  // ---- connections ----
  function flow(c) {
    const out = el('span');
    if (c.readPaused) out.append(el('span', { class: 'badge warn', title: 'reading paused (backpressure)' }, 'paused'));
    if (c.writeQueueFull) out.append(el('span', { class: 'badge bad', title: 'socket write queue full' }, 'wq full'));
    if (c.tapping) out.append(el('span', { class: 'badge', title: 'frame tap on' }, 'tap'));
    return out;
  }
  function matchesText(c) {
    if (!state.text) return true;
    return String(c.id).includes(state.text) || c.remote.includes(state.text);
  }
  function openRow(c, fresh) {
    const r = c.rates;
    const tr = el('tr', { data: { id: c.id }, class: (fresh ? 'fresh ' : '') + (c.id === state.selected ? 'selected' : '') },
      td(c.id), td(c.listener), td(c.remote), num(dur(c.ageMs)),
      num(c.bytesIn), num(c.bytesOut), num(c.framesIn), num(c.framesOut),
      num(rate(r.framesIn['1s']) + ' · ' + rate(r.framesIn['10s']) + ' · ' + rate(r.framesIn['60s'])),
      num(rate(r.bytesOut['10s'])), num(c.inFlight), td(flow(c)), num(dur(Math.max(0, Date.now() - c.lastActivity))),
      td(c.node || ''));
    tr.addEventListener('click', () => select(c.id));
    return tr;
  }
  function closedRow(c) {
    const tr = el('tr', { data: { id: c.id }, class: c.id === state.selected ? 'selected' : '' },
      td(c.id), td(c.listener), td(c.remote), num(dur(c.ageMs)),
      num(bytes(c.bytesIn) + ' / ' + bytes(c.bytesOut)), num(c.framesIn + ' / ' + c.framesOut),
      td(time(c.closedAt)), td(el('span', { class: 'reason' }, c.closeReason || '')), td(c.node || ''));
    tr.addEventListener('click', () => select(c.id));
    return tr;
  }
  function renderOpen(page) {
    const rows = page.connections.filter(matchesText);
    const ids = new Set(rows.map((c) => c.id));
    $('#connections tbody').replaceChildren(...rows.map((c) => openRow(c, !state.openIds.has(c.id) && state.openIds.size > 0)));
    state.openIds = ids;
    $('#open-count').textContent = page.total + ' open' + (page.total > rows.length ? ', showing ' + rows.length : '');
  }
  function renderClosed(page) {
    $('#closed tbody').replaceChildren(...page.connections.filter(matchesText).map(closedRow));
  }
  function onOpened(c) {
    if ((state.listener && c.listener !== state.listener) || (state.node && c.node !== state.node) || !matchesText(c)) return;
    if (document.querySelector('#connections tbody tr[data-id="' + c.id + '"]')) return;
    $('#connections tbody').append(openRow(c, true));
  }
  function onClosed(c) {
    const row = document.querySelector('#connections tbody tr[data-id="' + c.id + '"]');
    if (row) row.remove();
    state.openIds.delete(c.id);
    if ((state.listener && c.listener !== state.listener) || (state.node && c.node !== state.node) || !matchesText(c)) return;
    if (!document.querySelector('#closed tbody tr[data-id="' + c.id + '"]')) $('#closed tbody').prepend(closedRow(c));
    if (c.id === state.selected) refreshDetail();
  }

  // ---- the event stream ----
  function connect() {
    if (state.events) state.events.close();
    const q = new URLSearchParams({ sort: state.sort, order: state.desc ? 'desc' : 'asc', limit: state.limit });
    if (state.listener) q.set('listener', state.listener);
    if (state.node) q.set('node', state.node);
    const es = new EventSource('/api/events?' + q);
    state.events = es;
    es.addEventListener('tick', (e) => {
      const t = JSON.parse(e.data);
      renderListeners(t.listeners);
      renderSenders(t.listeners);
      renderConnectors(t.connectors);
      renderOpen(t.open);
      renderClosed(t.closed);
      if (t.point) { addPoint(t.point); redrawCharts(); }
      const members = [...new Set(t.listeners.map((l) => l.node))].sort();
      const s = $('#status');
      s.className = 'status live';
      s.textContent = 'live · ' + (members.length > 1 ? 'nodes ' : 'node ') + members.join(', ') + ' · ' + time(Date.now());
      if (state.selected !== null) refreshDetail();
    });
    es.addEventListener('opened', (e) => onOpened(JSON.parse(e.data)));
    es.addEventListener('closed', (e) => onClosed(JSON.parse(e.data)));
    es.onerror = () => { const s = $('#status'); s.className = 'status down'; s.textContent = 'disconnected — retrying'; };
  }
  document.querySelectorAll('#connections th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    const key = th.dataset.sort;
    state.desc = state.sort === key ? !state.desc : key !== 'id' && key !== 'listener' && key !== 'remote';
    state.sort = key;
    document.querySelectorAll('#connections th').forEach((h) => h.classList.toggle('sorted', h === th));
    th.title = state.desc ? 'descending' : 'ascending';
    connect();
  }));
  $('#f-listener').addEventListener('change', (e) => { state.listener = e.target.value; state.openIds = new Set(); connect(); });
  $('#f-node').addEventListener('change', (e) => { state.node = e.target.value; state.openIds = new Set(); connect(); });
  $('#f-limit').addEventListener('change', (e) => { state.limit = Number(e.target.value); connect(); });
  $('#f-text').addEventListener('input', (e) => { state.text = e.target.value.trim(); });

  // ---- detail, close, tap ----
  function select(id) {
    if (state.selected !== id) stopTapView();
    state.selected = id;
    document.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
    document.querySelectorAll('tr[data-id="' + id + '"]').forEach((r) => r.classList.add('selected'));
    $('#detail').hidden = false;
    $('#d-id').textContent = '#' + id;
    $('#tap-frames').replaceChildren();
    message('');
    refreshDetail();
  }
  function dl(target, pairs) {
    target.replaceChildren(...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }
  async function refreshDetail() {
    const id = state.selected;
    let c;
    try { c = await call('GET', '/api/connections/' + id); } catch (e) { message(e.message); return; }
    if (id !== state.selected) return;
    const r = c.rates;
    const w = (m) => rate(r[m]['1s']) + ' · ' + rate(r[m]['10s']) + ' · ' + rate(r[m]['60s']);
    const fields = [
      ['state', c.state], ['listener', c.listener], ['remote', c.remote], ['local', c.local],
      ['opened', time(c.openedAt)], ['age', dur(c.ageMs)],
      ['bytes in / out', c.bytesIn + ' / ' + c.bytesOut], ['frames in / out', c.framesIn + ' / ' + c.framesOut],
      ['bytes in/s (1·10·60 s)', w('bytesIn')], ['bytes out/s', w('bytesOut')],
      ['frames in/s', w('framesIn')], ['frames out/s', w('framesOut')],
      ['in flight (peak)', c.inFlight + ' (' + c.peakInFlight + ')'],
      ['read paused', c.readPaused ? 'yes' : 'no'], ['write queue full', c.writeQueueFull ? 'yes' : 'no'],
      ['last activity', time(c.lastActivity)],
    ];
    if (c.state === 'closed') fields.push(['closed', time(c.closedAt)], ['close reason', c.closeReason || '']);
    dl($('#d-fields'), fields);
    const l = c.latency;
    dl($('#d-latency'), l.samples === 0 ? [['samples', '0 (no request answered yet)']]
      : [['samples', l.samples], ['p50', l.p50Ms + ' ms'], ['p90', l.p90Ms + ' ms'], ['p99', l.p99Ms + ' ms'], ['max', l.maxMs + ' ms']]);
    $('#d-actions').hidden = c.state !== 'open';
    if (c.state !== 'open') stopTapView();
  }
  $('#d-hide').addEventListener('click', () => { stopTapView(); state.selected = null; $('#detail').hidden = true; });
  $('#close-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = state.selected;
    const reason = $('#close-reason').value.trim();
    try {
      await call('DELETE', '/api/connections/' + id + '?reason=' + encodeURIComponent(reason));
      message('closed connection ' + id);
      $('#close-reason').value = '';
    } catch (err) { message(err.message); }
  });
  $('#tap-start').addEventListener('click', async () => {
    const id = state.selected;
    try {
      const t = await call('POST', '/api/connections/' + id + '/tap?frames=100');
      stopTapView();
      state.tap = { id, tap: t.tap };
      state.tapSeq = 0;
      $('#tap-frames').replaceChildren();
      $('#tap-start').hidden = true;
      $('#tap-stop').hidden = false;
      const es = new EventSource(t.eventsUrl);
      state.tapEvents = es;
      es.addEventListener('frames', (ev) => addFrames(JSON.parse(ev.data).frames));
      es.addEventListener('ended', (ev) => { message('tap ended: ' + JSON.parse(ev.data).ended); stopTapView(); });
    } catch (err) { message(err.message); }
  });
  $('#tap-stop').addEventListener('click', async () => {
    const t = state.tap;
    stopTapView();
    if (t) { try { await call('DELETE', '/api/connections/' + t.id + '/tap?tap=' + encodeURIComponent(t.tap)); } catch (e) { message(e.message); } }
  });
  function addFrames(frames) {
    const list = $('#tap-frames');
    for (const f of frames) {
      if (f.seq <= state.tapSeq) continue;
      state.tapSeq = f.seq;
      list.append(el('li', { class: f.dir, title: time(f.t) + (f.size >= 0 ? ' · ' + f.size + ' bytes' : '') },
        el('span', { class: 'dir' }, f.dir === 'in' ? '→' : '←'), f.text));
    }
    while (list.children.length > 200) list.firstChild.remove();
    list.scrollTop = list.scrollHeight;
  }
  function stopTapView() {
    if (state.tapEvents) state.tapEvents.close();
    state.tapEvents = null;
    state.tap = null;
    $('#tap-start').hidden = false;
    $('#tap-stop').hidden = true;
  }

  // ---- auth status ----
  const saved = sessionStorage.getItem('strata.token');
  if (saved) $('#token').value = saved;
  async function authState() {
    try {
      const a = await call('GET', '/api/auth');
      $('#auth-state').textContent = !a.tokenConfigured ? 'actions disabled: no admin token configured on the server'
        : a.authenticated ? 'token accepted' : token() ? 'token not accepted' : 'read-only until a token is entered';
    } catch (e) { $('#auth-state').textContent = e.message; }
  }
  $('#token').addEventListener('change', () => { sessionStorage.setItem('strata.token', token()); authState(); });
  $('#auth').addEventListener('submit', (e) => { e.preventDefault(); sessionStorage.setItem('strata.token', token()); authState(); });

  // ---- applications (deployments), every few seconds ----
  // a process application's instance: pid, state, restarts, requests/s (docs/polyglot.md)
  const processLine = (p) => el('div', { class: `process ${p.state}`, title: p.error || p.lastExit || '' },
    `#${p.index} pid ${p.pid ?? '-'} ${p.state} · ${p.restarts} restarts · ${p.requestsPerSecond} req/s`);
  async function refreshDeployments() {
    try {
      const d = await call('GET', '/api/deployments');
      $('#deployments-section').hidden = d.deployments.length === 0;
      $('#deployments tbody').replaceChildren(...d.deployments.map((x) => el('tr', { data: { id: x.id } },
        td(x.node), td(x.name), td(x.verticle ?? (x.process || []).join(' ')), num(x.instances), td(x.source),
        td(time(x.deployedAt)), el('td', {}, ...(x.processes || []).map(processLine)))));
    } catch (e) { /* shown again at the next refresh */ }
  }

  // ---- start: history first, so the charts start with data ----
  async function start() {
    try {
      const h = await call('GET', '/api/history');
      h.points.forEach(addPoint);
    } catch (e) { /* charts start empty */ }
    makeChart('chart-rps', 'req/s', '#4fb3ff', 'rps');
    makeChart('chart-p99', 'p99 ms', '#f0b429', 'p99');
    makeChart('chart-conns', 'connections', '#4cc38a', 'conns');
    authState();
    connect();
    refreshDeployments();
    setInterval(refreshDeployments, 5000);
  }
  start();
})();
