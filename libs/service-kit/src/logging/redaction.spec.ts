import { Writable } from 'node:stream';
import { REDACTED, redactSensitive } from './redaction';
import { createLogger } from './logger';

describe('redactSensitive', () => {
  it('masks bank details and tax identifiers at any depth, whatever the key casing', () => {
    const supplier = {
      supplierId: 'SUP-1',
      bankAccounts: [{ iban: 'DE89370400440532013000' }],
      payment: { remitTo: { IBAN: 'NL91ABNA0417164300', BIC: 'ABNANL2A', account_number: '12345678' } },
      taxIds: [{ type: 'VAT', value: 'DE123456789' }],
      vatNumber: 'NL123456789B01',
      tax_id: '98-7654321',
    };
    const out = redactSensitive(supplier) as typeof supplier & Record<string, unknown>;
    expect(out.supplierId).toBe('SUP-1');
    expect(out.bankAccounts).toBe(REDACTED);
    expect(out.payment.remitTo).toEqual({ IBAN: REDACTED, BIC: REDACTED, account_number: REDACTED });
    expect(out.taxIds).toBe(REDACTED);
    expect(out['vatNumber']).toBe(REDACTED);
    expect(out['tax_id']).toBe(REDACTED);
    expect(JSON.stringify(out)).not.toMatch(/DE89|NL91|ABNANL|12345678|DE123|NL123|98-765/);
  });

  it('leaves the input untouched and survives cycles', () => {
    const a: Record<string, unknown> = { iban: 'X' };
    a['self'] = a;
    const out = redactSensitive(a) as Record<string, unknown>;
    expect(a['iban']).toBe('X');
    expect(out['self']).toBe('[Circular]');
  });
});

describe('service logger', () => {
  it('never writes an IBAN or tax id to the log stream', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('supplier-sync', 'info', sink);
    logger.info({ supplier: { iban: 'DE89370400440532013000', taxId: 'DE123456789', name: 'ACME' } }, 'supplier upserted');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ACME');
    expect(lines[0]).not.toContain('DE89370400440532013000');
    expect(lines[0]).not.toContain('DE123456789');
  });
});
