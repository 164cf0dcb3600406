import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Decimal, decimal } from '@finmesh/contracts';
import { mintDevToken, SERVICE_CONFIG, type ServiceConfig } from '@finmesh/service-kit';
import { dropTestSchema, encodeHistory, eventually, produceHistory, provisionTestNamespace, sourceToPayHistory, startServiceUnderTest, testCodec, testKafka, uniqueName, withPg, type HistoryEvent } from '@finmesh/testing';
import { ReportingProjectorService } from '../service';
import { ReadModelsChangedListener } from './read-models-changed-listener';

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'dashboard-int-spec-secret-of-32-characters!';
const SCREENSHOT = path.resolve(__dirname, '..', '..', '..', '..', 'test-output', 'dashboard.png');

type Row = Record<string, unknown>;
interface ReportBody {
  totalRows: number;
  rows: Row[];
  consumerLag?: { totalLag: string; partitions: unknown[] } | null;
}

/** Exact sum of decimal strings at the largest scale of the inputs (independent of the page's code). */
function sumDecimals(values: readonly string[]): string {
  return Decimal.sum(values.map((v) => decimal(v))).toString();
}

describe('reporting dashboard in headless Chromium on the real stack', () => {
  const schema = uniqueName('reporting_dashboard').replace(/-/g, '_');
  let namespace: Awaited<ReturnType<typeof provisionTestNamespace>>;
  let app: INestApplication;
  let url: string;
  let token: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let eventsPublished = 0;
  let openStream: ReadableStreamDefaultReader<Uint8Array> | undefined;

  /** Encodes through the real registry and produces into the namespace's topics, keyed like production. */
  async function publish(events: Iterable<HistoryEvent>): Promise<number> {
    const records = await encodeHistory(testCodec(), events, namespace.prefix);
    await produceHistory(testKafka(), records);
    eventsPublished += records.length;
    return records.length;
  }

  async function report(name: string, filters: Record<string, string> = {}): Promise<ReportBody> {
    const res = await fetch(`${url}/v1/reports/${name}?${new URLSearchParams({ ...filters, pageSize: '1000' })}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET ${name}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as ReportBody;
    // One page holds it all at this size. (Rows and totalRows come from two queries, so while the
    // projector commits they may disagree by a few rows; the page follows totalRows page by page.)
    expect(body.totalRows).toBeLessThan(1000);
    return body;
  }

  /** The KPIs the page must show, computed here from the API's answers. */
  async function expectedKpis(filters: Record<string, string> = {}): Promise<Map<string, string>> {
    const [spend, liabilities, exceptions, cycle, freshness] = await Promise.all([
      ...['committed-spend', 'liabilities', 'exceptions', 'payment-cycle'].map((n) => report(n, filters)),
      report('freshness'),
    ]) as [ReportBody, ReportBody, ReportBody, ReportBody, ReportBody];
    const kpis = new Map<string, string>();
    const money = (rows: Row[], column: string, prefix: string) => {
      for (const currency of new Set(rows.map((r) => String(r['currency'])))) {
        kpis.set(`${prefix}-${currency}`, sumDecimals(rows.filter((r) => r['currency'] === currency).map((r) => String(r[column]))));
      }
    };
    money(spend.rows, 'open_amount', 'committed-open');
    money(liabilities.rows.filter((r) => r['category'] === 'GRNI'), 'amount', 'grni');
    money(liabilities.rows.filter((r) => r['category'] === 'UNPAID_INVOICE'), 'amount', 'unpaid');
    const total = (rows: Row[], column: string) => rows.reduce((s, r) => s + Number(r[column] ?? 0), 0);
    kpis.set('open-exceptions', String(total(exceptions.rows, 'open_count')));
    kpis.set('exceptions-over-30', String(total(exceptions.rows, 'age_over_30')));
    for (const reason of new Set(exceptions.rows.map((r) => String(r['reason'])))) {
      kpis.set(`exceptions-open-${reason}`, String(total(exceptions.rows.filter((r) => r['reason'] === reason), 'open_count')));
    }
    kpis.set('invoices-received', String(total(cycle.rows, 'invoices')));
    let posted = 0;
    for (const r of cycle.rows) {
      posted += Math.round(Number(r['posting_success_rate'] ?? 0) * Number(r['posting_attempts']));
      const le = String(r['legal_entity']);
      kpis.set(`posting-success-rate-${le}`, String(r['posting_success_rate']));
      kpis.set(`on-time-rate-${le}`, String(r['on_time_rate']));
      kpis.set(`cycle-received-to-matched-p50-${le}`, String(r['received_to_matched_p50_h']));
      kpis.set(`cycle-posted-to-paid-p90-${le}`, String(r['posted_to_paid_p90_h']));
    }
    const attempts = total(cycle.rows, 'posting_attempts');
    kpis.set('posting-success-rate', attempts === 0 ? '' : (posted / attempts).toFixed(4));
    kpis.set('events-newest', freshness.rows.map((r) => String(r['newest_occurred_at'])).sort().pop() ?? '');
    for (const r of freshness.rows) kpis.set(`freshness-newest-${String(r['domain'])}-${String(r['source_platform'])}`, String(r['newest_occurred_at']));
    kpis.set('consumer-lag', freshness.consumerLag?.totalLag ?? '');
    return kpis;
  }

  async function pageKpis(): Promise<Map<string, { value: string; text: string }>> {
    const entries = await page.$$eval('[data-kpi]', (nodes) =>
      nodes.map((n) => [n.getAttribute('data-kpi') ?? '', { value: n.getAttribute('data-value') ?? '', text: (n.firstChild?.textContent ?? '').trim() }] as const),
    );
    return new Map(entries);
  }

  /** Every expected KPI is on the page with the API's exact value; money is shown with separators only. */
  async function mismatches(expected: Map<string, string>): Promise<string[]> {
    const shown = await pageKpis();
    const wrong: string[] = [];
    for (const [kpi, value] of expected) {
      const s = shown.get(kpi);
      if (!s) wrong.push(`${kpi}: missing on the page`);
      else if (s.value !== value) wrong.push(`${kpi}: page ${s.value}, API ${value}`);
      else if (/^(committed-open|grni|unpaid)-/.test(kpi) && (s.text.replace(/,/g, '') !== value || !/^-?\d{1,3}(,\d{3})*(\.\d+)?$/.test(s.text))) {
        wrong.push(`${kpi}: shown as '${s.text}' for ${value}`);
      }
    }
    return wrong;
  }

  /** Waits until the page shows exactly `expected`; on time-out names every mismatch. */
  async function pageShows(what: string, expected: Map<string, string>, timeoutMs = 20_000): Promise<void> {
    await eventually(what, async () => (await mismatches(expected)).length === 0, timeoutMs).catch(async (err: Error) => {
      throw new Error(`${err.message}:\n${(await mismatches(expected)).join('\n')}`);
    });
  }

  /**
   * Every published event is projected: each leaves one latency sample (unique event ids). Consumer
   * lag alone is not enough: it leaves out partitions the group has not committed on yet.
   */
  async function projected(): Promise<boolean> {
    const freshness = await report('freshness');
    const samples = freshness.rows.reduce((n, r) => n + Number(r['latency_samples']), 0);
    return samples === eventsPublished && freshness.consumerLag?.totalLag === '0';
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Debian's chromium is missing at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\` (scripts/ensure-deps.sh does so when run as root).`);
    }
    namespace = await provisionTestNamespace();
    ({ app, url } = await startServiceUnderTest(ReportingProjectorService, { topicPrefix: namespace.prefix, dbSchema: schema, jwtSecret: SECRET }));
    token = await mintDevToken({ clientId: 'dashboard-it', roles: ['reporting-reader'], secret: SECRET });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close(); // would hang on a stream left open
    // The stream ended: whatever it had buffered (changes, heartbeats) is read, then it is done.
    for (let chunk = await openStream?.read(); chunk && !chunk.done; chunk = await openStream?.read()) {
      expect(new TextDecoder().decode(chunk.value)).toMatch(/^(id: \d+\nevent: changed\n|: heartbeat)/);
    }
    await dropTestSchema(schema);
    await namespace?.cleanup();
  });

  it('serves the page without a token, telling how to get one', async () => {
    const res = await fetch(`${url}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const stream = await fetch(`${url}/v1/reports/stream`);
    expect(stream.status).toBe(401);
    // An authorised stream announces itself; it stays open so that afterAll proves shutdown ends it.
    const authorised = await fetch(`${url}/v1/reports/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(authorised.headers.get('content-type')).toContain('text/event-stream');
    openStream = authorised.body!.getReader();
    expect(new TextDecoder().decode((await openStream.read()).value)).toContain('event: ready');
    const anonymous = await browser.newPage();
    await anonymous.goto(`${url}/dashboard`);
    await anonymous.waitForSelector('#auth-message:not([hidden])');
    expect(await anonymous.textContent('#auth-message')).toContain('npm run token -- my-dashboard reporting-reader');
    await anonymous.close();
  });

  it('shows the API figures, then follows new events by itself', async () => {
    const history = [...sourceToPayHistory({ flows: 200, seed: 5 })];
    const first = await publish(history);
    await eventually('the projector has projected the history', projected, 60_000);

    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    await page.goto(`${url}/dashboard#token=${token}`);
    // The token left the address bar; the page keeps it for the tab only.
    expect(page.url()).toBe(`${url}/dashboard`);
    await page.waitForSelector('body[data-connection="live"]', { timeout: 15_000 });

    const before = await expectedKpis();
    expect(Number(before.get('invoices-received'))).toBeGreaterThan(100);
    expect(before.has('committed-open-EUR') && before.has('committed-open-USD')).toBe(true);
    await pageShows('the page shows the API figures', before);
    expect(await page.textContent('#last-updated')).toMatch(/^last updated \d\d:\d\d:\d\d$/);
    expect(await page.locator('#chart-spend svg rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-exceptions svg rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-cycle svg rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-freshness svg rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-liabilities svg rect').count()).toBeGreaterThan(0);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    process.stdout.write(`dashboard screenshot (${first} events): ${SCREENSHOT}\n`);

    // More events, no reload: the stream announces the change and the page re-fetches.
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    const more = [...sourceToPayHistory({ flows: 30, seed: 77 })];
    const added = await publish(more);
    await eventually('the projector has projected the new events', projected, 60_000);
    const after = await expectedKpis();
    expect(after.get('open-exceptions')).not.toBe(before.get('open-exceptions'));
    await pageShows('the page follows the new API figures by itself', after);
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-updated.png'), fullPage: true });
    process.stdout.write(`dashboard after ${added} more events: ${SCREENSHOT.replace(/\.png$/, '-updated.png')}\n`);

    // The LISTEN connection is killed: the listener reconnects and the page keeps following.
    const listenerName = `${app.get<ServiceConfig>(SERVICE_CONFIG).serviceName}-dashboard-listener`;
    const killed = await withPg((pg) => pg.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1`, [listenerName]));
    expect(killed.rows).toEqual([{ ok: true }]);
    const last = [...sourceToPayHistory({ flows: 10, seed: 78 })];
    await publish(last);
    await eventually('the projector has projected the last events', projected, 60_000);
    const afterReconnect = await expectedKpis();
    await pageShows('the page follows after the listener reconnected', afterReconnect);
    expect(await page.getAttribute('body', 'data-connection')).toBe('live');

    // The filters reload the figures for one legal entity and one month.
    const month = String((await report('committed-spend', { legalEntity: 'DE01' })).rows.at(-1)?.['month']);
    await page.selectOption('#filter-legal-entity', 'DE01');
    await page.selectOption('#filter-period', month);
    const filtered = await expectedKpis({ legalEntity: 'DE01', period: month });
    expect(filtered.has('committed-open-USD')).toBe(false);
    expect(filtered.get('committed-open-EUR')).not.toBe(after.get('committed-open-EUR'));
    await pageShows(`the page shows DE01 in ${month}`, filtered);
    expect(await page.locator('[data-kpi="committed-open-USD"]').count()).toBe(0);

    expect(problems).toEqual([]);
    page.removeAllListeners();
    await page.close();
  });

  it('polls every 15 s while the change stream is unavailable', async () => {
    const polling = await browser.newPage();
    const failures: string[] = [];
    polling.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
    polling.on('response', (r) => {
      if (r.status() >= 400) failures.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    // The stream is cut off (as a proxy that does not pass it would); the reports stay reachable.
    await polling.route('**/v1/reports/stream', (route) => route.abort('connectionreset'));
    page = polling;
    await polling.goto(`${url}/dashboard#token=${token}`);
    await polling.waitForSelector('body[data-connection="polling"]', { timeout: 15_000 });
    expect(await polling.textContent('#connection-text')).toContain('polling every 15 s');
    const shownBefore = (await pageKpis()).get('invoices-received')?.value;
    const more = [...sourceToPayHistory({ flows: 10, seed: 79 })];
    await publish(more);
    await eventually('the projector has projected the events', projected, 60_000);
    const expected = await expectedKpis();
    expect(expected.get('invoices-received')).not.toBe(shownBefore);
    await pageShows('the polling page follows the API', expected, 25_000); // one poll period and some
    expect(failures).toEqual([]);
    await polling.close();
    // Closed pages left no subscription behind: only the stream the first test keeps open remains.
    await eventually('disconnected streams are unsubscribed', async () => app.get(ReadModelsChangedListener).subscriberCount === 1, 5_000);
  });
});
