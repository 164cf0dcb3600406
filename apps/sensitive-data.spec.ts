import { Writable } from 'node:stream';
import { maskSensitiveFields } from '@finmesh/contracts';
import { maskAuditSummary } from '@finmesh/messaging';
import { createLogger } from '@finmesh/service-kit';
import { adapterFixtures, FIXTURE_SENSITIVE_VALUES, leakedSensitiveValues, PLANTED, sampleEventsWithSensitiveData } from '@finmesh/testing';

/**
 * The one sensitive-data policy, end to end without infrastructure: every platform fixture of
 * libs/adapters and a sample of every event, with real-looking bank details and tax ids planted
 * in every field the contracts declare sensitive, go through the service logger, the audit
 * masking and the `finmesh dlt show` masking; no full IBAN, account number, BIC or tax id comes
 * out. (The audit trail in PostgreSQL and the read APIs: sensitive-data.int-spec.ts.)
 */
const fixtures = adapterFixtures();
const events = sampleEventsWithSensitiveData();
const inputs: { name: string; value: unknown }[] = [
  ...fixtures.map((f) => ({ name: f.file, value: f.payload })),
  ...events.map((e) => ({ name: `event ${e.event}`, value: e.value })),
];

function logLines(write: (logger: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  write(createLogger('sensitive-data-test', 'info', sink));
  return lines.join('');
}

describe('the inputs carry the sensitive data the test looks for', () => {
  it('finds every fixture value in the fixtures and plants values into the supplier event', () => {
    const fixtureText = JSON.stringify(fixtures.map((f) => f.payload)).replace(/\s+/g, '');
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
    for (const value of FIXTURE_SENSITIVE_VALUES) expect(fixtureText).toContain(value);
    const upserted = events.find((e) => e.event === 'SupplierUpserted');
    expect(upserted?.planted).toBe(5);
    expect(JSON.stringify(upserted?.value)).toEqual(expect.stringContaining(PLANTED.iban));
    // Without masking, the check would find them: the test is not vacuous.
    expect(leakedSensitiveValues(JSON.stringify(inputs.map((i) => i.value))).sort()).toEqual(
      expect.arrayContaining([...Object.values(PLANTED), ...FIXTURE_SENSITIVE_VALUES].sort()),
    );
  });
});

describe.each(inputs)('$name', ({ value }) => {
  it('is logged without bank details or tax ids, nested or spread at the top', () => {
    const text = logLines((logger) => {
      logger.info({ payload: value }, 'payload received');
      logger.warn(value as Record<string, unknown>, 'payload spread into the log object');
    });
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(leakedSensitiveValues(text)).toEqual([]);
  });

  it('is masked in an audit summary', () => {
    const text = JSON.stringify(maskAuditSummary({ before: null, after: value }));
    expect(text.length).toBeGreaterThan(20);
    expect(leakedSensitiveValues(text)).toEqual([]);
  });

  it('is masked for finmesh dlt show', () => {
    const text = JSON.stringify(maskSensitiveFields(value));
    expect(text.length).toBeGreaterThan(20);
    expect(leakedSensitiveValues(text)).toEqual([]);
  });
});

describe('what stays readable', () => {
  it('keeps the non-sensitive facts of the supplier event and the last four of its numbers for dlt show', () => {
    const upserted = events.find((e) => e.event === 'SupplierUpserted')!.value;
    const shown = maskSensitiveFields(upserted) as { supplierId: string; bankAccounts: Record<string, unknown>[]; taxIds: Record<string, unknown>[] };
    expect(shown.supplierId).toBe(upserted['supplierId']);
    expect(shown.bankAccounts[0]).toMatchObject({ iban: '****4300', accountNumber: '****6789', bic: '****AXXX' });
    expect(shown.taxIds[0]).toMatchObject({ value: '****9B01' });
    const logged = logLines((logger) => logger.info({ supplier: upserted }, 'supplier upserted'));
    expect(logged).toContain(String(upserted['legalName']));
    expect(logged).toContain('[REDACTED]');
  });
});
