/**
 * Tax lines of a Coupa invoice, summed per tax code and rate (finmesh's TaxLine).
 *
 * Sources (compass.coupa.com, Invoices API (/invoices), Invoice Line API, Tax Line API):
 * `line-level-taxation` ("Flag indicating whether taxes are provided at line level"); header
 * `tax-amount`, `tax-rate`, `tax-code` ("not used if tax is provided at line level"; the elements
 * table types `tax-code` as string(255), the GET example shows `<tax-code><code>CA</code>`, so
 * both forms are read); line `tax-code: { code }`, `tax-rate`, `tax-amount`, `tax-lines[]` with
 * `amount` (decimal(32,4)), `rate` (float), `code`, `tax-code: { code }`, `taxable-amount`.
 * Rules: see the "Tax" point of ./captured-invoice.ts.
 */
import { decimal, MONEY_SCALE, PERCENT_SCALE, sumDecimals } from '@finmesh/contracts';
import type { FieldReader } from '../mapping/field-reader';
import type { ProblemCollector } from '../mapping/mapping-error';
import { coupaDecimal, optionalCoupaDecimal } from '../procurement/coupa-fields';

/** What the invoice mapper knows of a line when the tax is read. */
export interface LineTax {
  readonly reader: FieldReader;
  readonly total: string | undefined;
  readonly taxCode: string | null;
}

/** Records a figure's sign for the credit-note rule and returns it. */
export type TrackSign = (reader: FieldReader, key: string, v: string | null | undefined) => string | undefined;

export interface InvoiceTaxLine {
  readonly taxCode: string;
  readonly rate: string | undefined;
  readonly taxableAmount: string | undefined;
  readonly amount: string | undefined;
}

interface TaxEntry {
  readonly code: string | null;
  readonly codePath: string;
  readonly rate: string | null | undefined;
  readonly ratePath: string;
  readonly taxable: string | undefined;
  readonly amount: string | undefined;
}

function headerTaxCode(r: FieldReader): string | null | undefined {
  const raw = r.raw('tax-code');
  if (typeof raw === 'object' && raw !== null) return r.object('tax-code')?.optionalString('code');
  return r.optionalString('tax-code');
}

function hasItems(reader: FieldReader, key: string): boolean {
  const v = reader.raw(key);
  return Array.isArray(v) && v.length > 0;
}

function lineEntries(line: LineTax, track: TrackSign): TaxEntry[] {
  const l = line.reader;
  if (hasItems(l, 'tax-lines')) {
    return l.array('tax-lines').map((t) => ({
      code: t.optionalObject('tax-code')?.optionalString('code') ?? t.optionalString('code') ?? line.taxCode,
      codePath: t.pathOf('tax-code'),
      rate: optionalCoupaDecimal(t, 'rate', PERCENT_SCALE),
      ratePath: t.pathOf('rate'),
      taxable: t.has('taxable-amount') ? track(t, 'taxable-amount', coupaDecimal(t, 'taxable-amount', MONEY_SCALE)) : line.total,
      amount: track(t, 'amount', coupaDecimal(t, 'amount', MONEY_SCALE)),
    }));
  }
  if (!l.has('tax-amount')) return [];
  return [{
    code: line.taxCode,
    codePath: l.pathOf('tax-code'),
    rate: optionalCoupaDecimal(l, 'tax-rate', PERCENT_SCALE),
    ratePath: l.pathOf('tax-rate'),
    taxable: line.total,
    amount: track(l, 'tax-amount', coupaDecimal(l, 'tax-amount', MONEY_SCALE)),
  }];
}

/** The invoice's tax lines per code and rate; problems for tax charged without a code or rate. */
export function invoiceTaxLines(r: FieldReader, lines: readonly LineTax[], net: string | undefined, problems: ProblemCollector, track: TrackSign): InvoiceTaxLine[] {
  const flag = r.has('line-level-taxation') ? r.boolean('line-level-taxation', false) : undefined;
  const lineLevel = flag ?? lines.some((l) => hasItems(l.reader, 'tax-lines') || l.reader.has('tax-amount'));
  const entries: TaxEntry[] = lineLevel
    ? lines.flatMap((l) => lineEntries(l, track))
    : r.has('tax-amount')
      ? [{ code: headerTaxCode(r) ?? null, codePath: r.pathOf('tax-code'), rate: optionalCoupaDecimal(r, 'tax-rate', PERCENT_SCALE), ratePath: r.pathOf('tax-rate'), taxable: net, amount: track(r, 'tax-amount', coupaDecimal(r, 'tax-amount', MONEY_SCALE)) }]
      : [];

  const groups = new Map<string, { taxCode: string; rate: string; taxable: (string | undefined)[]; amounts: (string | undefined)[] }>();
  for (const e of entries) {
    const charged = e.amount !== undefined && !decimal(e.amount).isZero();
    if (!e.code) {
      if (charged) problems.add(e.codePath, `is required where tax is charged (${e.amount}): finmesh's tax lines are per tax code`);
      continue;
    }
    if (e.rate === null) {
      problems.add(e.ratePath, `is required for tax code ${e.code}`);
      continue;
    }
    if (e.rate === undefined) continue;
    const key = `${e.code}|${e.rate}`;
    const group = groups.get(key) ?? { taxCode: e.code, rate: e.rate, taxable: [], amounts: [] };
    group.taxable.push(e.taxable);
    group.amounts.push(e.amount);
    groups.set(key, group);
  }
  const sum = (values: (string | undefined)[]) => (values.every((v) => v !== undefined) ? sumDecimals(values as string[], MONEY_SCALE) : undefined);
  return [...groups.values()].map((g) => ({ taxCode: g.taxCode, rate: g.rate, taxableAmount: sum(g.taxable), amount: sum(g.amounts) }));
}
