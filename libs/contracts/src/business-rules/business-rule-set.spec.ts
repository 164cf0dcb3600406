import { EVENT_NAMES, type EventName } from '../topics/topic-catalog';
import { localSchemaSource } from '../provisioning/contracts';
import { sampleValue } from '../schema/sample-value';
import type { SchemaProblem } from '../schema/schema-errors';
import { buildBusinessRuleSet } from './business-rule-set';

const money = { type: 'record', name: 'Money', namespace: 'finmesh.common', fields: [
  { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale: 4 } },
  { name: 'currency', type: 'string' },
] };
// A stand-in event schema: the rule set only needs an event name and its schema.
const order = {
  type: 'record', name: 'PurchaseOrderIssued', namespace: 'finmesh.purchaseorder', fields: [
    { name: 'purchaseOrderId', type: 'string' },
    { name: 'buyer', type: ['null', 'string'], default: null },
    { name: 'revision', type: 'int' },
    { name: 'externalIds', type: { type: 'map', values: 'string' } },
    { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [
      { name: 'quantity', type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale: 4 } },
      { name: 'amount', type: money },
    ] } } },
    { name: 'total', type: ['null', 'finmesh.common.Money'], default: null },
  ],
};
const schemas = new Map<EventName, unknown>([['PurchaseOrderIssued', order]]);

function build(records: unknown): { problems: SchemaProblem[]; rules: ReturnType<typeof buildBusinessRuleSet> } {
  const problems: SchemaProblem[] = [];
  const rules = buildBusinessRuleSet({ records } as never, schemas, 'schemas/business-rules.json', problems);
  return { problems, rules };
}

const valid = () => ({
  purchaseOrderId: 'PO-1',
  buyer: null,
  revision: 0,
  externalIds: { ERP: '100' },
  lines: [{ quantity: '2.0000', amount: { amount: '10.0000', currency: 'EUR' } }],
  total: { amount: '10.0000', currency: 'EUR' },
});

describe('business rule set', () => {
  const { problems, rules } = build({
    'finmesh.common.Money': { currency: { format: 'iso4217' } },
    'finmesh.purchaseorder.Line': { quantity: { minimum: '0' }, 'amount.amount': { minimum: '0', maximum: '1000000' } },
    'finmesh.purchaseorder.PurchaseOrderIssued': {
      purchaseOrderId: { minLength: 1, maxLength: 10 },
      buyer: { maxLength: 5 },
      revision: { minimum: '0' },
      lines: { minItems: 1 },
      externalIds: { maxItems: 2 },
    },
  });

  it('accepts rules that fit their fields', () => {
    expect(problems).toEqual([]);
    expect(rules.declared).toHaveLength(8);
    expect(rules.breaches('PurchaseOrderIssued', valid())).toEqual([]);
  });

  it('names the path and the rule of every breach, in arrays, records and optional values', () => {
    const value = {
      ...valid(),
      purchaseOrderId: 'P'.repeat(11),
      buyer: 'far too long',
      revision: -1,
      externalIds: { A: '1', B: '2', C: '3' },
      lines: [
        { quantity: '1.0000', amount: { amount: '1.0000', currency: 'EUR' } },
        { quantity: '-3.0000', amount: { amount: '-30.0000', currency: 'ZZZ' } },
      ],
      total: { amount: '5.0000', currency: 'XYZ' },
    };
    expect(rules.breaches('PurchaseOrderIssued', value)).toEqual([
      { path: 'purchaseOrderId', rule: 'finmesh.purchaseorder.PurchaseOrderIssued.purchaseOrderId maxLength', message: 'is 11 characters long, more than the 10 allowed' },
      { path: 'buyer', rule: 'finmesh.purchaseorder.PurchaseOrderIssued.buyer maxLength', message: 'is 12 characters long, more than the 5 allowed' },
      { path: 'revision', rule: 'finmesh.purchaseorder.PurchaseOrderIssued.revision minimum', message: 'is -1, below the minimum 0' },
      { path: 'externalIds', rule: 'finmesh.purchaseorder.PurchaseOrderIssued.externalIds maxItems', message: 'has 3 items, more than the 2 allowed' },
      { path: 'lines.1.quantity', rule: 'finmesh.purchaseorder.Line.quantity minimum', message: 'is -3.0000, below the minimum 0' },
      { path: 'lines.1.amount.amount', rule: 'finmesh.purchaseorder.Line.amount.amount minimum', message: 'is -30.0000, below the minimum 0' },
      { path: 'lines.1.amount.currency', rule: 'finmesh.common.Money.currency format', message: 'is not an active ISO 4217 currency code' },
      { path: 'total.currency', rule: 'finmesh.common.Money.currency format', message: 'is not an active ISO 4217 currency code' },
    ]);
  });

  it('counts code points, refuses empty ids and empty arrays, and never echoes a string value', () => {
    const breaches = rules.breaches('PurchaseOrderIssued', { ...valid(), purchaseOrderId: '', lines: [] });
    expect(breaches.map((b) => `${b.path}: ${b.message}`)).toEqual(['purchaseOrderId: is empty', 'lines: has 0 item(s), fewer than the 1 required']);
    // Ten emoji are 20 UTF-16 units but 10 characters: within the limit.
    expect(rules.breaches('PurchaseOrderIssued', { ...valid(), purchaseOrderId: '\u{1F600}'.repeat(10) })).toEqual([]);
    const secret = 'DE89370400440532013000';
    const withSecret = rules.breaches('PurchaseOrderIssued', { ...valid(), purchaseOrderId: secret });
    expect(JSON.stringify(withSecret)).not.toContain(secret);
  });

  it('treats -0 as zero and checks maximum bounds exactly', () => {
    const line = (amount: string) => ({ ...valid(), lines: [{ quantity: '-0.0000', amount: { amount, currency: 'EUR' } }] });
    expect(rules.breaches('PurchaseOrderIssued', line('1000000.0000'))).toEqual([]);
    expect(rules.breaches('PurchaseOrderIssued', line('1000000.0001')).map((b) => b.rule)).toEqual(['finmesh.purchaseorder.Line.amount.amount maximum']);
  });

  it('lists the paths a narrowed decode must keep, with one element field for counts of records', () => {
    expect([...rules.fieldPaths('PurchaseOrderIssued')].sort()).toEqual(
      ['buyer', 'externalIds', 'lines.amount.amount', 'lines.amount.currency', 'lines.quantity', 'purchaseOrderId', 'revision', 'total.currency', 'lines.quantity'].filter((p, i, all) => all.indexOf(p) === i).sort(),
    );
  });

  it('reports every problem with the rules themselves (schemas:check shows them)', () => {
    const { problems: found } = build({
      'finmesh.common.Nope': { x: { minLength: 1 } },
      'finmesh.purchaseorder.PurchaseOrderIssued': {
        missing: { minLength: 1 },
        'lines.nothing': { minimum: '0' },
        revision: { maxLength: 3 },
        purchaseOrderId: { minLength: 5, maxLength: 2, format: 'luhn' },
        lines: { minItems: -1 },
        buyer: {},
        'lines.quantity': { minimum: 0 },
        'lines.amount': { minimum: '0' },
      },
      'finmesh.purchaseorder.Line': { quantity: { minimum: '5', maximum: '1' } },
    });
    expect(found.map((p) => p.message)).toEqual([
      "finmesh.common.Nope: no event's newest schema uses a record of that name",
      "finmesh.purchaseorder.PurchaseOrderIssued.missing: 'missing' is not a field of finmesh.purchaseorder.PurchaseOrderIssued",
      "finmesh.purchaseorder.PurchaseOrderIssued.lines.nothing: 'lines.nothing' is not a field of finmesh.purchaseorder.PurchaseOrderIssued",
      "finmesh.purchaseorder.PurchaseOrderIssued.revision: 'maxLength' does not apply to a number field (allowed: minimum, maximum)",
      'finmesh.purchaseorder.PurchaseOrderIssued.purchaseOrderId: format "luhn" is not one of iso4217, iso3166-alpha2, iban, bic',
      "finmesh.purchaseorder.PurchaseOrderIssued.purchaseOrderId: 'minLength' 5 is above 'maxLength' 2",
      "finmesh.purchaseorder.PurchaseOrderIssued.lines: 'minItems' must be a non-negative integer",
      'finmesh.purchaseorder.PurchaseOrderIssued.buyer: declares no keyword',
      'finmesh.purchaseorder.PurchaseOrderIssued.lines.quantity: \'minimum\' must be a decimal string such as "0"',
      'finmesh.purchaseorder.PurchaseOrderIssued.lines.amount: rules apply to strings, numbers (int, long, decimal), arrays and maps only',
      "finmesh.purchaseorder.Line.quantity: 'minimum' 5 is above 'maximum' 1",
    ]);
  });
});

describe('the contracts\' business rules (schemas/business-rules.json)', () => {
  const catalog = localSchemaSource();

  it('load with the catalog and cover every event', () => {
    expect(catalog.businessRules.declared.length).toBeGreaterThan(100);
    for (const event of EVENT_NAMES) expect(catalog.businessRules.fieldPaths(event).length).toBeGreaterThan(0);
  });

  it('hold for every sample value, so fixtures built from samples stay valid', () => {
    for (const event of EVENT_NAMES) expect([event, catalog.businessRules.breaches(event, sampleValue(catalog.latestSchema(event), 'logical'))]).toEqual([event, []]);
  });

  it('refuse the values the issue found in the read models', () => {
    const order = sampleValue(catalog.latestSchema('PurchaseOrderIssued'), 'logical') as { currency: string; lines: Array<{ amount: { amount: string } }> };
    order.currency = 'ZZZ';
    order.lines[0]!.amount.amount = '-30.0000';
    expect(catalog.businessRules.breaches('PurchaseOrderIssued', order).map((b) => b.rule)).toEqual([
      'finmesh.purchaseorder.PurchaseOrderIssued.currency format',
      'finmesh.common.PurchaseOrderLine.amount.amount minimum',
    ]);
    const payment = { ...(sampleValue(catalog.latestSchema('PaymentConfirmed'), 'logical') as object), allocations: [] };
    expect(catalog.businessRules.breaches('PaymentConfirmed', payment).map((b) => b.rule)).toEqual(['finmesh.payment.PaymentConfirmed.allocations minItems']);
  });
});
