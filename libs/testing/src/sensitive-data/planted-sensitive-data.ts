import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EVENT_NAMES,
  localSchemaSource,
  sampleValue,
  sensitiveDataPolicy,
  type EventName,
  type SensitiveFieldPath,
} from '@finmesh/contracts';

/**
 * Realistic bank details and tax ids for the sensitive-data tests: planted into every sensitive
 * field of a sample of every event, and looked for in everything finmesh lets out (log lines,
 * audit rows, API answers, `finmesh dlt show`). None may come out in full.
 */
export const PLANTED = {
  iban: 'NL91ABNA0417164300',
  accountNumber: '000123456789',
  bic: 'ABNANL2AXXX',
  routingNumber: '021000021',
  taxId: 'NL123456789B01',
} as const;

/** The bank details and tax ids in the platform fixtures of libs/adapters (each checked to be there). */
export const FIXTURE_SENSITIVE_VALUES: readonly string[] = [
  'DE89370400440532013000', // IBAN (Fusion payment RemitToAccountNumber; Fusion supplier, with spaces)
  'COBADEFFXXX', // BIC (Fusion supplier SWIFTCode)
  'DE129273398', // VAT id (Fusion TaxRegistrationNumber, AP capture supplier.taxId)
  '99015/12345', // tax number (Fusion TaxpayerId)
  'DE811115368', // VAT id of the buyer (AP capture buyer.vatId)
];

/** Every value the tests plant or the fixtures carry, none of which may come out in full. */
export const SENSITIVE_NEEDLES: readonly string[] = [...Object.values(PLANTED), ...FIXTURE_SENSITIVE_VALUES];

const ADAPTERS_SRC = path.resolve(__dirname, '..', '..', '..', 'adapters', 'src');

/** Every platform payload fixture of libs/adapters (`src/**\/fixtures/*.json`), parsed. */
export function adapterFixtures(): { file: string; payload: unknown }[] {
  return (fs.readdirSync(ADAPTERS_SRC, { recursive: true }) as string[])
    .filter((f) => f.split(path.sep).includes('fixtures') && f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: `libs/adapters/src/${f.split(path.sep).join('/')}`, payload: JSON.parse(fs.readFileSync(path.join(ADAPTERS_SRC, f), 'utf8')) as unknown }));
}

function plantedValue(p: SensitiveFieldPath): string {
  switch (p.declaration.field) {
    case 'iban':
      return PLANTED.iban;
    case 'bic':
      return PLANTED.bic;
    case 'routingNumber':
      return PLANTED.routingNumber;
  }
  return p.kind === 'tax-id' ? PLANTED.taxId : p.kind === 'bank-code' ? PLANTED.bic : PLANTED.accountNumber;
}

/** Sets `value` at a policy path ('bankAccounts[].iban'), in every element of the lists on the way. */
function plant(target: unknown, segments: readonly string[], value: string): void {
  const [head, ...rest] = segments;
  if (head === undefined || target === null || typeof target !== 'object') return;
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  const record = target as Record<string, unknown>;
  if (rest.length === 0 && !isList) {
    record[key] = value;
    return;
  }
  const next = record[key];
  for (const item of isList && Array.isArray(next) ? next : [next]) plant(item, rest, value);
}

/**
 * A sample value (codec shapes) of every event, with a realistic IBAN, account number, BIC,
 * routing number or tax id in every field the policy declares sensitive, and how many were planted.
 */
export function sampleEventsWithSensitiveData(): { event: EventName; value: Record<string, unknown>; planted: number }[] {
  const policy = sensitiveDataPolicy();
  return EVENT_NAMES.map((event) => {
    const value = sampleValue(localSchemaSource().latestSchema(event), 'logical') as Record<string, unknown>;
    const paths = policy.sensitiveFieldPaths(event);
    for (const p of paths) plant(value, p.path.split('.'), plantedValue(p));
    return { event, value, planted: paths.length };
  });
}

/**
 * The sensitive values found in full in `text` (also with the spaces of a printed IBAN removed,
 * and any IBAN-shaped run, planted or not). An empty list means nothing leaked.
 */
export function leakedSensitiveValues(text: string): string[] {
  const compact = text.replace(/\s+/g, '');
  const found = SENSITIVE_NEEDLES.filter((needle) => text.includes(needle) || compact.includes(needle));
  const ibanShaped = text.match(/\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b/g) ?? [];
  return [...new Set([...found, ...ibanShaped])];
}
