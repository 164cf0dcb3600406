import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addReleasedVersions, readReleasedLock, writeReleasedLock } from './released-lock';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog } from './schema-catalog';
import { runSchemaCheck } from './contract-check';
import { writeTypes } from './generated-types';

interface Workspace {
  readonly schemasDir: string;
  readonly generatedFile: string;
}

/** A temporary copy of schemas/ with its own, in-sync generated types file. */
function workspace(): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'finmesh-check-'));
  const schemasDir = path.join(root, 'schemas');
  fs.cpSync(DEFAULT_SCHEMAS_DIR, schemasDir, { recursive: true });
  const generatedFile = path.join(root, 'generated', 'events.ts');
  writeTypes({ schemasDir, generatedFile });
  return { schemasDir, generatedFile };
}

function addInvoiceReceivedV2(ws: Workspace, newField: Record<string, unknown>): void {
  const v1 = JSON.parse(fs.readFileSync(path.join(ws.schemasDir, 'events', 'invoice', 'InvoiceReceived.v1.avsc'), 'utf8')) as { fields: unknown[] };
  v1.fields.push(newField);
  fs.writeFileSync(path.join(ws.schemasDir, 'events', 'invoice', 'InvoiceReceived.v2.avsc'), JSON.stringify(v1, null, 2));
}

/**
 * Records the workspace's new versions in its released.lock.json without any other check (as if
 * they had been released), so that the compatibility tests see only compatibility problems.
 * The lock itself is tested in lock.spec.ts.
 */
function release(ws: Workspace): void {
  const read = readReleasedLock(ws.schemasDir);
  if (!read.ok) throw new Error(read.problem.message);
  writeReleasedLock(ws.schemasDir, addReleasedVersions(read.lock, loadSchemaCatalog(ws.schemasDir)).lock);
}

describe('runSchemaCheck', () => {
  const created: string[] = [];
  const ws = (): Workspace => {
    const w = workspace();
    created.push(path.dirname(w.schemasDir));
    return w;
  };
  afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('passes on the repository contracts and the checked-in generated types', () => {
    expect(runSchemaCheck()).toEqual({ ok: true, problems: [] });
  });

  it('fails an incompatible v2 (new required field) and names the event and the field', () => {
    const w = ws();
    addInvoiceReceivedV2(w, { name: 'approvalRoute', type: 'string', doc: 'Approval route.' });
    release(w);
    writeTypes(w);
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringContaining('InvoiceReceived v2 (schemas/events/invoice/InvoiceReceived.v2.avsc)')]);
    expect(result.problems[0]).toContain('InvoiceReceived.approvalRoute');
    expect(result.problems[0]).toContain('written with InvoiceReceived v1');
  });

  it('passes a compatible v2 (new optional field, default null) once types are regenerated', () => {
    const w = ws();
    addInvoiceReceivedV2(w, { name: 'approvalRoute', type: ['null', 'string'], default: null, doc: 'Approval route.' });
    release(w);
    const stale = runSchemaCheck(w);
    expect(stale.ok).toBe(false);
    expect(stale.problems).toEqual([expect.stringMatching(/is out of date with the schemas: run npm run schemas:types\n.*first difference/s)]);
    writeTypes(w);
    expect(runSchemaCheck(w)).toEqual({ ok: true, problems: [] });
    expect(fs.readFileSync(w.generatedFile, 'utf8')).toContain('  approvalRoute: string | null;');
  });

  it('rejects a float with a message pointing to decimal', () => {
    const w = ws();
    addInvoiceReceivedV2(w, { name: 'fxRate', type: ['null', 'double'], default: null, doc: 'FX rate.' });
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.stringMatching(/InvoiceReceived\.v2\.avsc: InvoiceReceived\.fxRate is declared as 'double'.*Use a decimal/));
  });

  it('reports drift between the generated types and the schemas', () => {
    const w = ws();
    const text = fs.readFileSync(w.generatedFile, 'utf8');
    fs.writeFileSync(w.generatedFile, text.replace('  supplierInvoiceNumber: string;', '  supplierInvoiceNumber: number;'));
    const result = runSchemaCheck(w);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('run npm run schemas:types');
    expect(result.problems[0]).toContain('-   supplierInvoiceNumber: string;');
    expect(result.problems[0]).toContain('+   supplierInvoiceNumber: number;');
  });

  it('honours a declared non-transitive mode', () => {
    const w = ws();
    const dir = path.join(w.schemasDir, 'events', 'invoice');
    const read = (v: number): { fields: Array<Record<string, unknown>>; [k: string]: unknown } =>
      JSON.parse(fs.readFileSync(path.join(dir, `InvoiceReceived.v${v}.avsc`), 'utf8'));
    // v2 adds a field with a default; v3 drops the default: readable against v2 only.
    addInvoiceReceivedV2(w, { name: 'channel', type: 'string', default: 'EMAIL', doc: 'Intake channel.' });
    const v3 = read(2);
    v3.fields = v3.fields.map((f) => (f['name'] === 'channel' ? { name: 'channel', type: 'string', doc: 'Intake channel.' } : f));
    v3['finmesh.compatibility'] = 'BACKWARD';
    fs.writeFileSync(path.join(dir, 'InvoiceReceived.v3.avsc'), JSON.stringify(v3, null, 2));
    release(w);
    writeTypes(w);
    expect(runSchemaCheck(w).problems).toEqual([]);
    v3['finmesh.compatibility'] = 'BACKWARD_TRANSITIVE';
    fs.writeFileSync(path.join(dir, 'InvoiceReceived.v3.avsc'), JSON.stringify(v3, null, 2));
    writeTypes(w);
    const transitive = runSchemaCheck(w);
    expect(transitive.problems).toEqual([expect.stringContaining('InvoiceReceived.channel')]);
    expect(transitive.problems[0]).toContain('written with InvoiceReceived v1');
  });
});
