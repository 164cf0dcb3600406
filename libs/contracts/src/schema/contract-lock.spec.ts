import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatReleasedLock, readReleasedLock, releasedFingerprint, releasedLockPath } from './released-lock';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog } from './schema-catalog';
import { runSchemaCheck, runSchemaLock } from './contract-check';
import { writeTypes } from './generated-types';

interface Workspace {
  readonly schemasDir: string;
  readonly generatedFile: string;
}

type Json = Record<string, unknown> & { fields: Array<Record<string, unknown>> };

const MONEY = ['common', 'finmesh.common.Money.avsc'];
const INVOICE_RECEIVED = (v: number): string[] => ['events', 'invoice', `InvoiceReceived.v${v}.avsc`];

describe('released versions lock (schemas/released.lock.json)', () => {
  const created: string[] = [];
  afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** A temporary copy of schemas/ (lock included) with its own, in-sync generated types file. */
  const ws = (): Workspace => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'finmesh-lock-'));
    created.push(root);
    const schemasDir = path.join(root, 'schemas');
    fs.cpSync(DEFAULT_SCHEMAS_DIR, schemasDir, { recursive: true });
    const generatedFile = path.join(root, 'generated', 'events.ts');
    writeTypes({ schemasDir, generatedFile });
    return { schemasDir, generatedFile };
  };
  const read = (w: Workspace, parts: string[]): Json => JSON.parse(fs.readFileSync(path.join(w.schemasDir, ...parts), 'utf8')) as Json;
  const write = (w: Workspace, parts: string[], json: Json): void => fs.writeFileSync(path.join(w.schemasDir, ...parts), JSON.stringify(json, null, 2));
  const lockText = (w: Workspace): string => fs.readFileSync(releasedLockPath(w.schemasDir), 'utf8');
  /** InvoiceReceived v2 = v1 plus an optional field (a compatible new version). */
  const addInvoiceReceivedV2 = (w: Workspace): void => {
    const v2 = read(w, INVOICE_RECEIVED(1));
    v2.fields.push({ name: 'approvalRoute', type: ['null', 'string'], default: null, doc: 'Approval route.' });
    write(w, INVOICE_RECEIVED(2), v2);
    writeTypes(w);
  };

  it('holds every version of the repository, deterministically formatted', () => {
    const lock = readReleasedLock(DEFAULT_SCHEMAS_DIR);
    expect(lock.ok).toBe(true);
    if (!lock.ok) return;
    const catalog = loadSchemaCatalog();
    expect(catalog.versions.length).toBeGreaterThanOrEqual(15);
    for (const v of catalog.versions) expect(lock.lock[v.name]?.[String(v.version)]).toBe(releasedFingerprint(v.schema));
    expect(fs.readFileSync(releasedLockPath(DEFAULT_SCHEMAS_DIR), 'utf8')).toBe(formatReleasedLock(lock.lock));
  });

  it('fails when a shared type changes under released versions, naming each affected event', () => {
    const w = ws();
    const money = read(w, MONEY);
    money.fields.push({ name: 'rateSource', type: ['null', 'string'], default: null, doc: 'Where an FX rate came from.' });
    write(w, MONEY, money);
    writeTypes(w); // only the lock can object: the types are in sync, v1 has no predecessor
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    for (const event of ['InvoiceMatched', 'InvoicePosted', 'PaymentReleased', 'PaymentConfirmed', 'InvoiceReceived']) {
      expect(result.problems).toContainEqual(expect.stringContaining(`released version changed: ${event} v1 no longer matches its fingerprint`));
    }
    const invoice = result.problems.find((p) => p.includes('InvoiceReceived v1'));
    expect(invoice).toMatch(/^schemas\/events\/invoice\/InvoiceReceived\.v1\.avsc: /);
    expect(invoice).toContain('a shared type in schemas/common/');
    expect(invoice).toContain('new version file (InvoiceReceived.v2.avsc or later)');
    // Events that do not use Money are untouched.
    expect(result.problems.some((p) => p.includes('SupplierBlocked'))).toBe(false);
    expect(result.problems.every((p) => p.includes('released version changed'))).toBe(true);
  });

  it('fails a change the Parsing Canonical Form cannot see: decimal scale of Money', () => {
    const w = ws();
    const money = read(w, MONEY);
    money.fields = money.fields.map((f) => (f['name'] === 'amount' ? { ...f, type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale: 2 } } : f));
    write(w, MONEY, money);
    writeTypes(w);
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.stringContaining('released version changed: PaymentReleased v1'));
  });

  it('passes doc-only edits to a shared type and to a released version file', () => {
    const w = ws();
    const money = read(w, MONEY);
    money['doc'] = 'Reworded documentation.';
    money.fields = money.fields.map((f) => ({ ...f, doc: `${String(f['doc'])} (clarified)` }));
    write(w, MONEY, money);
    const v1 = read(w, INVOICE_RECEIVED(1));
    v1['doc'] = 'Reworded.';
    write(w, INVOICE_RECEIVED(1), v1);
    writeTypes(w);
    expect(runSchemaCheck(w)).toEqual({ ok: true, problems: [] });
  });

  it('fails a new version that is not in the lock, with the hint to release it, and passes after lock', () => {
    const w = ws();
    const before = lockText(w);
    addInvoiceReceivedV2(w);
    expect(runSchemaCheck(w)).toEqual({
      ok: false,
      problems: ['schemas/events/invoice/InvoiceReceived.v2.avsc: InvoiceReceived v2 is not in schemas/released.lock.json: run npm run schemas:lock to release it'],
    });
    expect(runSchemaLock(w)).toEqual({ ok: true, added: ['InvoiceReceived v2'], problems: [] });
    expect(runSchemaCheck(w)).toEqual({ ok: true, problems: [] });
    const after = JSON.parse(lockText(w)) as Record<string, Record<string, string>>;
    const previous = JSON.parse(before) as Record<string, Record<string, string>>;
    expect(after).toEqual({ ...previous, InvoiceReceived: { ...previous['InvoiceReceived'], '2': expect.stringMatching(/^[0-9a-f]{64}$/) } });
    // Idempotent: a second run changes nothing.
    const locked = lockText(w);
    expect(runSchemaLock(w)).toEqual({ ok: true, added: [], problems: [] });
    expect(lockText(w)).toBe(locked);
  });

  it('lock never rewrites an existing entry: it refuses and writes nothing', () => {
    const w = ws();
    const before = lockText(w);
    addInvoiceReceivedV2(w);
    const money = read(w, MONEY);
    money.fields.push({ name: 'rateSource', type: ['null', 'string'], default: null, doc: 'Where an FX rate came from.' });
    write(w, MONEY, money);
    const result = runSchemaLock(w);
    expect(result.ok).toBe(false);
    expect(result.added).toEqual([]);
    expect(result.problems).toContainEqual(expect.stringContaining('released version changed: InvoicePosted v1'));
    expect(result.problems[result.problems.length - 1]).toContain('left unchanged: the lock never rewrites');
    expect(lockText(w)).toBe(before); // not even the new, unchanged-elsewhere v2 was added
  });

  it('lock refuses to release an incompatible version', () => {
    const w = ws();
    const before = lockText(w);
    const v2 = read(w, INVOICE_RECEIVED(1));
    v2.fields.push({ name: 'approvalRoute', type: 'string', doc: 'Approval route.' });
    write(w, INVOICE_RECEIVED(2), v2);
    const result = runSchemaLock(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringContaining('InvoiceReceived.approvalRoute')]);
    expect(lockText(w)).toBe(before);
  });

  it('fails when a released version file is deleted', () => {
    const w = ws();
    addInvoiceReceivedV2(w);
    expect(runSchemaLock(w).ok).toBe(true);
    fs.rmSync(path.join(w.schemasDir, ...INVOICE_RECEIVED(2)));
    writeTypes(w);
    expect(runSchemaCheck(w)).toEqual({
      ok: false,
      problems: [
        'schemas/events/invoice/InvoiceReceived.v2.avsc: InvoiceReceived v2 is released (in schemas/released.lock.json) but its file was deleted; released versions cannot be removed, restore the file',
      ],
    });
    // Also reported when the contracts do not load (deleting a v1 leaves an event without schema).
    fs.rmSync(path.join(w.schemasDir, 'events', 'payment', 'PaymentConfirmed.v1.avsc'));
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.stringContaining('PaymentConfirmed v1 is released (in schemas/released.lock.json) but its file was deleted'));
  });

  it('reports a malformed lock file', () => {
    const w = ws();
    fs.writeFileSync(releasedLockPath(w.schemasDir), '{ "InvoiceReceived": { "1": "not-a-hash" } }\n');
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringContaining("schemas/released.lock.json: 'InvoiceReceived' v1 has no valid fingerprint")]);
    expect(runSchemaLock(w).ok).toBe(false);
  });
});
