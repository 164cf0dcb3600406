/* global document, window, sessionStorage, history, location, TextDecoder, URLSearchParams */
/*
 * finmesh reporting dashboard: vanilla JS, no build step, no third-party code (the page must work
 * on a closed network). It reads the reports API with the bearer token given in the URL fragment
 * (#token=…; a fragment is never sent to the server), draws KPI tiles and SVG charts, and
 * re-fetches when GET /v1/reports/stream says the read models changed (polling every 15 s while
 * that stream is down).
 *
 * Money: the API gives exact decimal strings. They are added with BigInt and displayed by string
 * manipulation; Number() is used on money only for bar heights (display-only, marked as such).
 *
 * KPI elements (data-kpi="…", exact value in data-value, formatted text in the element):
 *   committed-open-<CUR>        sum of open_amount of committed-spend, per currency (EUR and USD never added)
 *   grni-<CUR>                  sum of GRNI amounts (liabilities), per currency
 *   unpaid-<CUR>                sum of unpaid invoice amounts (liabilities), per currency
 *   open-exceptions             sum of open_count over exception reasons
 *   exceptions-over-30          sum of age_over_30 (open exceptions older than 30 days)
 *   exceptions-open-<REASON>    open_count of one reason code (all legal entities)
 *   invoices-received           sum of invoices of payment-cycle
 *   posting-success-rate        posted / posting attempts over all legal entities (4 decimals)
 *   posting-success-rate-<LE>   posting_success_rate of one legal entity, as the API gives it
 *   on-time-rate-<LE>           on_time_rate of one legal entity, as the API gives it
 *   cycle-<stage>-p50-<LE>, cycle-<stage>-p90-<LE>
 *                               hours; stage is received-to-matched, matched-to-posted, posted-to-paid
 *   events-newest               newest newest_occurred_at of freshness (ISO-8601)
 *   freshness-newest-<domain>-<platform>  newest_occurred_at of one row of freshness
 *   consumer-lag                consumerLag.totalLag of the projector's consumer group
 * Empty values show "—" with data-value="".
 */
(function dashboard() {
  'use strict';

  const TOKEN_KEY = 'finmesh.dashboard.token';
  const POLL_MS = 15000;
  const PAGE_SIZE = 1000;
  const MAX_PAGES = 50;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#2f6fde', '#e07b39', '#1e8e5a', '#8e44ad', '#c0392b', '#16a2b8', '#7f8c8d', '#d4ac0d'];
  const EXCEPTION_BUCKETS = [
    { column: 'age_0_2', label: '0-2 days', color: '#9cc3f5' },
    { column: 'age_3_7', label: '3-7 days', color: '#5b9bea' },
    { column: 'age_8_30', label: '8-30 days', color: '#e6a700' },
    { column: 'age_over_30', label: '>30 days', color: '#c0392b' },
  ];
  const LIABILITY_BUCKETS = ['0-30', '31-60', '61-90', '>90'];
  const LIABILITY_CATEGORIES = [
    { category: 'GRNI', label: 'GRNI', color: '#e07b39' },
    { category: 'UNPAID_INVOICE', label: 'Unpaid invoices', color: '#2f6fde' },
  ];
  const CYCLE_STAGES = [
    { key: 'received-to-matched', label: 'received → matched', p50: 'received_to_matched_p50_h', p90: 'received_to_matched_p90_h' },
    { key: 'matched-to-posted', label: 'matched → posted', p50: 'matched_to_posted_p50_h', p90: 'matched_to_posted_p90_h' },
    { key: 'posted-to-paid', label: 'posted → paid', p50: 'posted_to_paid_p50_h', p90: 'posted_to_paid_p90_h' },
  ];

  const $ = (id) => document.getElementById(id);
  const state = { token: null, knownEntities: new Set(), knownMonths: new Set(), loading: null, again: false, streamOpen: false, pollTimer: null, loadedOnce: false };

  // ---------- exact decimals (money) ----------

  function parseDecimal(text) {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
    if (!m) throw new Error(`not a decimal: ${text}`);
    const fraction = m[3] || '';
    return { units: BigInt(`${m[1]}${m[2]}${fraction}`), scale: fraction.length };
  }

  /** Sum of decimal strings, exact, at the largest scale of the inputs ("0" for none). */
  function sumDecimals(values) {
    let units = BigInt(0);
    let scale = 0;
    for (const v of values) {
      const d = parseDecimal(v);
      if (d.scale > scale) {
        units *= BigInt(10) ** BigInt(d.scale - scale);
        scale = d.scale;
      }
      units += d.units * BigInt(10) ** BigInt(scale - d.scale);
    }
    const negative = units < BigInt(0);
    const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''}`;
  }

  /** "1234567.5" → "1,234,567.5": thousands separators by string manipulation only. */
  function formatDecimal(text) {
    const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(text));
    if (!m) return String(text);
    return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] || ''}`;
  }

  /** Chart geometry only — never shown as a figure. */
  function displayOnlyNumber(decimalText) {
    return Number(decimalText);
  }

  function compact(n) {
    const abs = Math.abs(n);
    if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
    if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
    if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
    return String(Math.round(n * 10) / 10);
  }

  function groupSum(rows, keyOf, valueOf) {
    const groups = new Map();
    for (const r of rows) {
      const k = keyOf(r);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(valueOf(r));
    }
    return groups;
  }

  const uniqueSorted = (values) => [...new Set(values)].sort();
  const sumInts = (rows, column) => rows.reduce((s, r) => s + (Number.isInteger(r[column]) ? r[column] : 0), 0);
  const pad2 = (n) => String(n).padStart(2, '0');
  const hhmmss = (d) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;

  // ---------- DOM helpers ----------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of [].concat(children || [])) node.append(c instanceof window.Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** An element carrying a KPI: exact value in data-value, what the user reads as text. */
  function kpiValue(tag, name, exact, shown) {
    const node = el(tag, { 'data-kpi': name, 'data-value': exact === null || exact === undefined ? '' : String(exact) });
    node.textContent = exact === null || exact === undefined ? '—' : shown;
    return node;
  }

  function tile(label, name, exact, shown, unit, small) {
    const value = kpiValue('div', name, exact, shown);
    value.className = small ? 'value small' : 'value';
    if (unit) value.append(el('span', { class: 'unit' }, unit));
    return el('div', { class: 'tile' }, [el('div', { class: 'label' }, label), value]);
  }

  function legend(items) {
    return el('div', { class: 'legend' }, items.map((i) => el('span', {}, [el('i', { style: `background:${i.color}` }), i.label])));
  }

  function table(headers, rows) {
    const head = el('tr', {}, headers.map((h) => el('th', h.num ? { class: 'num' } : {}, h.label)));
    const body = rows.map((cells) => el('tr', {}, cells.map((c, i) => {
      const td = el('td', headers[i] && headers[i].num ? { class: 'num' } : {});
      td.append(c instanceof window.Node ? c : document.createTextNode(c === null || c === undefined ? '—' : String(c)));
      return td;
    })));
    return el('table', {}, [el('thead', {}, head), el('tbody', {}, body)]);
  }

  function replace(container, ...nodes) {
    container.replaceChildren(...nodes);
  }

  // ---------- charts (inline SVG) ----------

  const W = 560;
  const H = 240;
  const M = { top: 10, right: 10, bottom: 60, left: 56 };

  function axes(root, max, unit) {
    const innerH = H - M.top - M.bottom;
    for (let i = 0; i <= 4; i++) {
      const y = M.top + innerH - (innerH * i) / 4;
      root.append(svg('line', { x1: M.left, x2: W - M.right, y1: y, y2: y, stroke: '#e6e9f0' }));
      root.append(svg('text', { x: M.left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6478' }, compact((max * i) / 4)));
    }
    if (unit) root.append(svg('text', { x: 4, y: M.top + 8, 'font-size': 10, fill: '#5b6478' }, unit));
  }

  /** A category's name under its bar; slanted when the slots are too narrow for it to fit level. */
  function categoryLabel(root, x, text, slot) {
    // Short names (months) slant; long ones (domain/platform) stay level, cut to the slot, whole in the tooltip.
    const level = text.length * 6 <= slot || text.length > 10;
    const max = level ? Math.max(4, Math.floor(slot / 6)) : 16;
    const label = text.length > max ? `${text.slice(0, max - 1)}…` : text;
    const y = H - M.bottom + 14;
    const attrs = level
      ? { x, y, 'text-anchor': 'middle', 'font-size': 10, fill: '#1d2433' }
      : { x, y, 'text-anchor': 'end', 'font-size': 10, fill: '#1d2433', transform: `rotate(-35 ${x} ${y})` };
    const node = svg('text', attrs, label);
    node.append(svg('title', {}, text));
    root.append(node);
  }

  /**
   * Stacked bars: one bar per category, one segment per series.
   * value(category, series) → { height: number (display-only), text: exact label for the tooltip }.
   */
  function stackedBarChart({ categories, series, value, unit, title }) {
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
    const totals = categories.map((c) => series.reduce((s, se) => s + Math.max(0, value(c, se).height), 0));
    const max = Math.max(1, ...totals);
    axes(root, max, unit);
    const innerW = W - M.left - M.right;
    const innerH = H - M.top - M.bottom;
    const slot = innerW / Math.max(1, categories.length);
    const barW = Math.max(2, Math.min(48, slot * 0.7));
    categories.forEach((c, ci) => {
      const x = M.left + slot * ci + (slot - barW) / 2;
      let y = M.top + innerH;
      for (const se of series) {
        const v = value(c, se);
        const h = (Math.max(0, v.height) / max) * innerH;
        if (h <= 0) continue;
        y -= h;
        const rect = svg('rect', { x, y, width: barW, height: h, fill: se.color });
        rect.append(svg('title', {}, `${c} · ${se.label}: ${v.text}`));
        root.append(rect);
      }
      if (categories.length <= 16 || ci % Math.ceil(categories.length / 16) === 0) categoryLabel(root, x + barW / 2, c, slot);
    });
    return el('div', {}, [legend(series), root]);
  }

  /** Grouped bars with an optional whisker (e.g. p50 bar, p90 whisker) per bar. */
  function groupedBarChart({ groups, series, value, unit, title }) {
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
    let max = 1;
    for (const g of groups) for (const s of series) {
      const v = value(g, s);
      if (v) max = Math.max(max, v.height, v.whisker || 0);
    }
    axes(root, max, unit);
    const innerW = W - M.left - M.right;
    const innerH = H - M.top - M.bottom;
    const slot = innerW / Math.max(1, groups.length);
    const barW = Math.max(2, Math.min(28, (slot * 0.8) / Math.max(1, series.length)));
    const scale = (n) => (Math.max(0, n) / max) * innerH;
    groups.forEach((g, gi) => {
      const start = M.left + slot * gi + (slot - barW * series.length) / 2;
      series.forEach((s, si) => {
        const v = value(g, s);
        if (!v) return;
        const x = start + barW * si;
        const rect = svg('rect', { x, y: M.top + innerH - scale(v.height), width: barW - 1, height: scale(v.height), fill: s.color });
        rect.append(svg('title', {}, `${g} · ${s.label}: ${v.text}`));
        root.append(rect);
        if (v.whisker !== undefined && v.whisker !== null) {
          const wy = M.top + innerH - scale(v.whisker);
          root.append(svg('line', { x1: x + (barW - 1) / 2, x2: x + (barW - 1) / 2, y1: M.top + innerH - scale(v.height), y2: wy, stroke: '#1d2433' }));
          root.append(svg('line', { x1: x + 2, x2: x + barW - 3, y1: wy, y2: wy, stroke: '#1d2433' }));
        }
      });
      categoryLabel(root, M.left + slot * gi + slot / 2, g, slot);
    });
    return el('div', {}, [legend(series), root]);
  }

  const empty = (text) => el('div', { class: 'empty' }, text);

  // ---------- data ----------

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path) {
    const res = await window.fetch(path, { headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) {
      let message = res.statusText;
      try {
        const body = await res.json();
        message = Array.isArray(body.message) ? body.message.join('; ') : body.message || message;
      } catch {
        // not JSON; keep the status text
      }
      throw new HttpError(res.status, message);
    }
    return res.json();
  }

  /** Every row of a report (following its pages) and the first page's extras (consumerLag). */
  async function report(name, filters) {
    const rows = [];
    let first = null;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const query = new URLSearchParams({ ...filters, page: String(page), pageSize: String(PAGE_SIZE) });
      const body = await api(`/v1/reports/${name}?${query}`);
      first = first || body;
      rows.push(...body.rows);
      if (rows.length >= body.totalRows || body.rows.length === 0) break;
    }
    return { ...first, rows };
  }

  function currentFilters() {
    const filters = {};
    const entity = $('filter-legal-entity').value;
    const period = $('filter-period').value;
    if (entity) filters.legalEntity = entity;
    if (period) filters.period = period;
    return filters;
  }

  async function loadAll() {
    const filters = currentFilters();
    const [spend, liabilities, exceptions, cycle, freshness] = await Promise.all([
      report('committed-spend', filters),
      report('liabilities', filters),
      report('exceptions', filters),
      report('payment-cycle', filters),
      report('freshness', {}),
    ]);
    for (const r of [...spend.rows, ...liabilities.rows, ...exceptions.rows, ...cycle.rows]) if (r.legal_entity) state.knownEntities.add(r.legal_entity);
    for (const r of spend.rows) if (r.month) state.knownMonths.add(r.month);
    renderFilters();
    renderTiles(spend, liabilities, exceptions, cycle, freshness);
    renderSpend(spend);
    renderLiabilities(liabilities);
    renderExceptions(exceptions);
    renderCycle(cycle);
    renderFreshness(freshness);
    state.loadedOnce = true;
    $('last-updated').textContent = `last updated ${hhmmss(new Date())}`;
    $('last-updated').setAttribute('data-updated-at', new Date().toISOString());
  }

  /** One load at a time; a change arriving meanwhile triggers exactly one more. */
  function refresh() {
    if (!state.token) return Promise.resolve();
    if (state.loading) {
      state.again = true;
      return state.loading;
    }
    state.loading = (async () => {
      do {
        state.again = false;
        try {
          await loadAll();
          $('error-message').hidden = true;
        } catch (err) {
          handleError(err);
          return;
        }
      } while (state.again);
    })().finally(() => {
      state.loading = null;
    });
    return state.loading;
  }

  function handleError(err) {
    if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
      showAuth(err.status === 401 ? `The token was refused: ${err.message}. Mint a new one.` : `The token lacks a reading role: ${err.message}.`);
      return;
    }
    const box = $('error-message');
    box.textContent = `Could not load the reports (${err instanceof HttpError ? `HTTP ${err.status}: ` : ''}${err.message}); retrying on the next change or poll.`;
    box.hidden = false;
  }

  // ---------- rendering ----------

  function renderFilters() {
    const fill = (select, values) => {
      const selected = select.value;
      const options = [el('option', { value: '' }, 'All'), ...values.map((v) => el('option', { value: v }, v))];
      select.replaceChildren(...options);
      select.value = values.includes(selected) ? selected : '';
    };
    fill($('filter-legal-entity'), uniqueSorted([...state.knownEntities]));
    const months = new Set(state.knownMonths);
    const now = new Date();
    for (let i = 0; i < 12; i++) {
      const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
      months.add(`${d.getFullYear()}-${pad2(d.getMonth() + 1)}`);
    }
    fill($('filter-period'), uniqueSorted([...months]).reverse());
  }

  function renderTiles(spend, liabilities, exceptions, cycle, freshness) {
    const tiles = [];
    const openByCurrency = groupSum(spend.rows, (r) => r.currency, (r) => r.open_amount);
    for (const currency of uniqueSorted([...openByCurrency.keys()])) {
      const total = sumDecimals(openByCurrency.get(currency));
      tiles.push(tile(`Committed open (${currency})`, `committed-open-${currency}`, total, formatDecimal(total)));
    }
    if (openByCurrency.size === 0) tiles.push(tile('Committed open', 'committed-open', null));
    for (const cat of LIABILITY_CATEGORIES) {
      const byCurrency = groupSum(liabilities.rows.filter((r) => r.category === cat.category), (r) => r.currency, (r) => r.amount);
      const prefix = cat.category === 'GRNI' ? 'grni' : 'unpaid';
      for (const currency of uniqueSorted([...byCurrency.keys()])) {
        const total = sumDecimals(byCurrency.get(currency));
        tiles.push(tile(`${cat.label} (${currency})`, `${prefix}-${currency}`, total, formatDecimal(total)));
      }
    }
    const open = sumInts(exceptions.rows, 'open_count');
    tiles.push(tile('Open exceptions', 'open-exceptions', open, String(open)));
    const old = sumInts(exceptions.rows, 'age_over_30');
    tiles.push(tile('Exceptions > 30 days', 'exceptions-over-30', old, String(old)));
    const invoices = sumInts(cycle.rows, 'invoices');
    tiles.push(tile('Invoices received', 'invoices-received', invoices, String(invoices)));
    const rate = postingSuccessRate(cycle.rows);
    tiles.push(tile('Posting success rate', 'posting-success-rate', rate, rate === null ? '' : `${(Number(rate) * 100).toFixed(1)} %`));
    const newest = freshness.rows.map((r) => r.newest_occurred_at).filter(Boolean).sort().pop() || null;
    tiles.push(tile('Newest event', 'events-newest', newest, newest ? newest.slice(0, 16).replace('T', ' ') : '', 'UTC', true));
    const lag = freshness.consumerLag ? freshness.consumerLag.totalLag : null;
    tiles.push(tile('Consumer lag', 'consumer-lag', lag, lag === null ? '' : formatDecimal(lag), 'events'));
    replace($('kpis'), ...tiles);
  }

  /**
   * Posted / attempts over all legal entities. The API gives a rate (4 decimals) and the attempts per
   * entity; rate × attempts recovers the exact posted count while attempts < 10,000 per entity.
   */
  function postingSuccessRate(rows) {
    let posted = 0;
    let attempts = 0;
    for (const r of rows) {
      if (!r.posting_attempts || r.posting_success_rate === null) continue;
      posted += Math.round(r.posting_success_rate * r.posting_attempts);
      attempts += r.posting_attempts;
    }
    return attempts === 0 ? null : (posted / attempts).toFixed(4);
  }

  function renderSpend(spend) {
    const container = $('chart-spend');
    if (spend.rows.length === 0) return replace(container, empty('No open commitments for these filters.'));
    const entities = uniqueSorted(spend.rows.map((r) => r.legal_entity));
    const series = entities.map((e, i) => ({ key: e, label: e, color: PALETTE[i % PALETTE.length] }));
    const charts = [];
    for (const currency of uniqueSorted(spend.rows.map((r) => r.currency))) {
      const rows = spend.rows.filter((r) => r.currency === currency);
      const sums = groupSum(rows, (r) => `${r.month}|${r.legal_entity}`, (r) => r.open_amount);
      const months = uniqueSorted(rows.map((r) => r.month));
      const value = (month, s) => {
        const total = sumDecimals(sums.get(`${month}|${s.key}`) || []);
        return { height: displayOnlyNumber(total), text: `${formatDecimal(total)} ${currency}` };
      };
      charts.push(el('h3', {}, currency), stackedBarChart({ categories: months, series, value, unit: currency, title: `Open committed spend in ${currency} by month` }));
    }
    replace(container, ...charts);
  }

  function renderLiabilities(liabilities) {
    const container = $('chart-liabilities');
    if (liabilities.rows.length === 0) return replace(container, empty('No accrued liabilities for these filters.'));
    const series = LIABILITY_CATEGORIES.map((c) => ({ key: c.category, label: c.label, color: c.color }));
    const charts = [];
    for (const currency of uniqueSorted(liabilities.rows.map((r) => r.currency))) {
      const sums = groupSum(liabilities.rows.filter((r) => r.currency === currency), (r) => `${r.age_bucket}|${r.category}`, (r) => r.amount);
      const value = (bucket, s) => {
        const total = sumDecimals(sums.get(`${bucket}|${s.key}`) || []);
        return { height: displayOnlyNumber(total), text: `${formatDecimal(total)} ${currency}` };
      };
      charts.push(el('h3', {}, currency), stackedBarChart({ categories: LIABILITY_BUCKETS, series, value, unit: currency, title: `Liabilities in ${currency} by age` }));
    }
    replace(container, ...charts);
  }

  function renderExceptions(exceptions) {
    const reasons = uniqueSorted(exceptions.rows.map((r) => r.reason));
    const perReason = (reason, column) => sumInts(exceptions.rows.filter((r) => r.reason === reason), column);
    if (reasons.length === 0) {
      replace($('chart-exceptions'), empty('No exceptions for these filters.'));
      replace($('table-exceptions'));
      return;
    }
    const series = EXCEPTION_BUCKETS.map((b) => ({ key: b.column, label: b.label, color: b.color }));
    const value = (reason, s) => {
      const n = perReason(reason, s.key);
      return { height: n, text: String(n) };
    };
    replace($('chart-exceptions'), stackedBarChart({ categories: reasons, series, value, unit: 'open', title: 'Open exceptions by reason and age' }));
    const headers = [{ label: 'Reason' }, { label: 'Open', num: true }, ...EXCEPTION_BUCKETS.map((b) => ({ label: b.label, num: true })), { label: 'Resolved', num: true }];
    const rows = reasons.map((reason) => [
      reason,
      kpiValue('span', `exceptions-open-${reason}`, perReason(reason, 'open_count'), String(perReason(reason, 'open_count'))),
      ...EXCEPTION_BUCKETS.map((b) => perReason(reason, b.column)),
      perReason(reason, 'resolved_count'),
    ]);
    replace($('table-exceptions'), table(headers, rows));
  }

  function renderCycle(cycle) {
    if (cycle.rows.length === 0) {
      replace($('chart-cycle'), empty('No invoices received in this period.'));
      replace($('table-cycle'));
      return;
    }
    const rows = [...cycle.rows].sort((a, b) => (a.legal_entity < b.legal_entity ? -1 : 1));
    const series = rows.map((r, i) => ({ key: r.legal_entity, label: r.legal_entity, color: PALETTE[i % PALETTE.length] }));
    const value = (stageLabel, s) => {
      const stage = CYCLE_STAGES.find((st) => st.label === stageLabel);
      const row = rows.find((r) => r.legal_entity === s.key);
      if (!row || row[stage.p50] === null) return null;
      return { height: row[stage.p50], whisker: row[stage.p90], text: `p50 ${row[stage.p50]} h, p90 ${row[stage.p90]} h` };
    };
    replace($('chart-cycle'), groupedBarChart({ groups: CYCLE_STAGES.map((s) => s.label), series, value, unit: 'hours', title: 'Payment cycle hours per stage' }));
    const hours = (v) => (v === null || v === undefined ? '—' : String(v));
    const headers = [
      { label: 'Entity' }, { label: 'Invoices', num: true },
      ...CYCLE_STAGES.map((s) => ({ label: `${s.label} p50 / p90 h`, num: true })),
      { label: 'On time', num: true }, { label: 'Posting success', num: true },
    ];
    const percent = (v) => (v === null || v === undefined ? '' : `${(v * 100).toFixed(1)} %`);
    const table_ = rows.map((r) => [
      r.legal_entity,
      r.invoices,
      ...CYCLE_STAGES.map((s) => el('span', {}, [
        kpiValue('span', `cycle-${s.key}-p50-${r.legal_entity}`, r[s.p50], hours(r[s.p50])),
        ' / ',
        kpiValue('span', `cycle-${s.key}-p90-${r.legal_entity}`, r[s.p90], hours(r[s.p90])),
      ])),
      kpiValue('span', `on-time-rate-${r.legal_entity}`, r.on_time_rate, percent(r.on_time_rate)),
      kpiValue('span', `posting-success-rate-${r.legal_entity}`, r.posting_success_rate, percent(r.posting_success_rate)),
    ]);
    replace($('table-cycle'), table(headers, table_));
  }

  function renderFreshness(freshness) {
    if (freshness.rows.length === 0) {
      replace($('chart-freshness'), empty('No events projected yet.'));
      replace($('table-freshness'));
      return;
    }
    const name = (r) => `${r.domain}/${r.source_platform}`;
    const series = [
      { key: 'latency_p50_ms', label: 'latency p50', color: '#5b9bea' },
      { key: 'latency_p99_ms', label: 'latency p99', color: '#1d4f9e' },
    ];
    const value = (group, s) => {
      const row = freshness.rows.find((r) => name(r) === group);
      // bigint columns arrive as JSON strings; milliseconds are not money, Number() is fine here.
      return !row || row[s.key] === null ? null : { height: Number(row[s.key]), text: `${row[s.key]} ms` };
    };
    replace($('chart-freshness'), groupedBarChart({ groups: freshness.rows.map(name), series, value, unit: 'ms', title: 'Projection latency per domain and platform' }));
    const age = (text) => {
      if (text === null || text === undefined) return '—';
      const s = Number(text);
      return Math.abs(s) < 120 ? `${s} s` : Math.abs(s) < 7200 ? `${Math.round(s / 60)} min` : Math.abs(s) < 172800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} d`;
    };
    const headers = [{ label: 'Domain' }, { label: 'Platform' }, { label: 'Newest event' }, { label: 'Age', num: true }, { label: 'p50 ms', num: true }, { label: 'p99 ms', num: true }, { label: 'Samples', num: true }];
    const rows = freshness.rows.map((r) => [
      r.domain, r.source_platform,
      kpiValue('span', `freshness-newest-${r.domain}-${r.source_platform}`, r.newest_occurred_at, r.newest_occurred_at),
      age(r.age_seconds), r.latency_p50_ms, r.latency_p99_ms, r.latency_samples,
    ]);
    const lag = freshness.consumerLag;
    const lagLine = el('p', { class: 'hint' }, lag ? `Consumer group ${lag.groupId}: lag ${formatDecimal(lag.totalLag)} events over ${lag.partitions.length} partitions.` : 'Consumer lag unknown (the group has not committed yet).');
    replace($('table-freshness'), table(headers, rows), lagLine);
  }

  // ---------- live updates ----------

  function setConnection(mode, text) {
    $('connection-dot').className = `dot ${mode}`;
    $('connection-text').textContent = text;
    document.body.setAttribute('data-connection', mode);
  }

  function startPolling() {
    if (state.pollTimer) return;
    setConnection('polling', 'stream dropped — polling every 15 s');
    state.pollTimer = window.setInterval(() => {
      void refresh();
      void openStream();
    }, POLL_MS);
  }

  function stopPolling() {
    if (state.pollTimer) window.clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  /** fetch() + a stream reader: EventSource cannot send the Authorization header. */
  async function openStream() {
    if (state.streamOpen || !state.token) return;
    state.streamOpen = true;
    try {
      const res = await window.fetch('/v1/reports/stream', { headers: { Authorization: `Bearer ${state.token}`, Accept: 'text/event-stream' }, cache: 'no-store' });
      if (res.status === 401 || res.status === 403) {
        stopPolling();
        handleError(new HttpError(res.status, 'the change stream refused the token'));
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered HTTP ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          onStreamEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // The stream dropped (server restart, network): polling takes over below.
    } finally {
      state.streamOpen = false;
    }
    if (state.token) startPolling();
  }

  function onStreamEvent(block) {
    const type = block.split('\n').filter((l) => l.startsWith('event:')).map((l) => l.slice(6).trim())[0] || 'message';
    if (type === 'ready') {
      stopPolling();
      setConnection('live', 'live');
      // Changes made while the stream was down were not announced.
      if (state.loadedOnce) void refresh();
    } else if (type === 'changed') {
      void refresh();
    }
  }

  // ---------- token ----------

  function readToken() {
    const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
    const given = fragment.get('token');
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given);
      // Keep the token out of the address bar and the history.
      history.replaceState(null, '', `${location.pathname}${location.search}`);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function showAuth(detail) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    stopPolling();
    $('auth-detail').textContent = detail || '';
    $('auth-message').hidden = false;
    $('forget-token').hidden = true;
    setConnection('offline', 'no token');
  }

  function start() {
    // A token pasted into the fragment of an open tab replaces the stored one.
    window.addEventListener('hashchange', () => {
      if (/(^#|&)token=/.test(location.hash)) location.reload();
    });
    state.token = readToken();
    if (!state.token) return showAuth('No token given.');
    $('forget-token').hidden = false;
    $('forget-token').addEventListener('click', () => showAuth('Token forgotten.'));
    $('filter-legal-entity').addEventListener('change', () => void refresh());
    $('filter-period').addEventListener('change', () => void refresh());
    void refresh().then(() => openStream());
  }

  start();
})();
