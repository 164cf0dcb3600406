import type { LegalEntityScope } from '@finmesh/service-kit';

/** Filters every report takes; parsed and validated from the query string. */
export interface ReportFilters {
  readonly legalEntity: string | null;
  /** The legal entities the caller may see (its token's scope): rows of others are never read. */
  readonly scope: LegalEntityScope;
  readonly supplier: string | null;
  /** Inclusive calendar days; a `period=YYYY-MM` is turned into its first and last day. */
  readonly from: string | null;
  readonly to: string | null;
  readonly page: number;
  readonly pageSize: number;
}

export interface FieldProblem {
  readonly path: string;
  readonly reason: string;
}

/** A bad report query: every bad parameter is named (answered 422 by the HTTP layer). */
export class ReportQueryError extends Error {
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.reason}`).join('; '));
    this.name = 'ReportQueryError';
  }
}

export const MAX_PAGE_SIZE = 1000;
const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function single(query: Record<string, unknown>, name: string, problems: FieldProblem[]): string | null {
  const v = query[name];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string') {
    problems.push({ path: name, reason: 'give it once' });
    return null;
  }
  return v;
}

function positiveInt(raw: string | null, name: string, fallback: number, max: number, problems: FieldProblem[]): number {
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    problems.push({ path: name, reason: `expected a whole number from 1 to ${max}, got '${raw}'` });
    return fallback;
  }
  return Number(raw);
}

function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export function parseReportFilters(query: Record<string, unknown>, scope: LegalEntityScope): ReportFilters {
  const problems: FieldProblem[] = [];
  const known = new Set(['legalEntity', 'supplier', 'period', 'from', 'to', 'page', 'pageSize']);
  for (const name of Object.keys(query)) {
    if (!known.has(name)) problems.push({ path: name, reason: `unknown filter; use ${[...known].join(', ')}` });
  }
  const legalEntity = single(query, 'legalEntity', problems);
  if (legalEntity !== null && !CODE.test(legalEntity)) problems.push({ path: 'legalEntity', reason: 'expected a legal entity code such as DE01' });
  const supplier = single(query, 'supplier', problems);
  if (supplier !== null && !CODE.test(supplier)) problems.push({ path: 'supplier', reason: 'expected a supplier id (letters, digits, . _ -)' });
  const period = single(query, 'period', problems);
  let from = single(query, 'from', problems);
  let to = single(query, 'to', problems);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value !== null && (!DAY.test(value) || !isRealDay(value))) problems.push({ path: name, reason: `expected a calendar day YYYY-MM-DD, got '${value}'` });
  }
  if (period !== null) {
    const m = MONTH.exec(period);
    if (!m) problems.push({ path: 'period', reason: `expected a month YYYY-MM, got '${period}'` });
    else if (from !== null || to !== null) problems.push({ path: 'period', reason: 'give either period or from/to, not both' });
    else {
      const lastDay = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
      from = `${period}-01`;
      to = `${period}-${String(lastDay).padStart(2, '0')}`;
    }
  }
  if (from !== null && to !== null && from > to) problems.push({ path: 'to', reason: `must not be before from (${from})` });
  const page = positiveInt(single(query, 'page', problems), 'page', 1, 1_000_000, problems);
  const pageSize = positiveInt(single(query, 'pageSize', problems), 'pageSize', 100, MAX_PAGE_SIZE, problems);
  if (problems.length > 0) throw new ReportQueryError(problems);
  return { legalEntity, scope, supplier, from, to, page, pageSize };
}
