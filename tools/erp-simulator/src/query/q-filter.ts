import { errorDetail, FusionHttpError } from '../fusion-errors';

/**
 * Fusion `q` filters, as far as pollers and lookups need them. Both syntaxes of the ADF REST
 * framework are read:
 *  - `Attr=value;Attr2=value` (REST-Framework-Version 1: `;` joins equality terms);
 *  - `LastUpdateDate > '2025-03-01T00:00:00.000Z' AND InvoiceNumber = 'INV-1'` (version 2 and
 *    later: comparison operators = != <> > >= < <=, terms joined by AND).
 * Values may be quoted ('INV-1', with '' for a quote inside, or "INV-1"). OR, LIKE, BETWEEN,
 * parentheses and child-attribute paths are refused with 400 rather than ignored, so a test never
 * believes a filter applied when it did not.
 */
export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export interface Term {
  readonly attr: string;
  readonly op: Operator;
  readonly value: string;
}

const TERM = /^([A-Za-z][A-Za-z0-9_]*)\s*(>=|<=|!=|<>|=|>|<)\s*(.*)$/s;
const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}(?:$|T)/;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

function invalid(q: string, why: string): FusionHttpError {
  return new FusionHttpError(400, [errorDetail(`Unsupported q expression "${q}": ${why}.`, 'INVALID_QUERY', 'q')]);
}

/** Splits on `;` and the word AND outside quotes. */
function splitTerms(q: string): string[] {
  const terms: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < q.length; i++) {
    const ch = q[i]!;
    if (quote) {
      current += ch;
      if (ch === quote) {
        if (q[i + 1] === quote) {
          current += q[++i];
        } else quote = null;
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
      continue;
    }
    if (ch === ';') {
      terms.push(current);
      current = '';
      continue;
    }
    const and = /^\s+and\s+/i.exec(q.slice(i));
    if (and && /\S/.test(current)) {
      terms.push(current);
      current = '';
      i += and[0].length - 1;
      continue;
    }
    current += ch;
  }
  if (quote) throw invalid(q, 'a quoted value is not closed');
  terms.push(current);
  return terms.map((t) => t.trim());
}

function unquote(raw: string, q: string): string {
  const value = raw.trim();
  for (const quote of ["'", '"']) {
    if (value.startsWith(quote)) {
      if (!value.endsWith(quote) || value.length < 2) throw invalid(q, `value ${value} is not quoted properly`);
      return value.slice(1, -1).split(quote + quote).join(quote);
    }
  }
  if (/\s/.test(value)) throw invalid(q, `value "${value}" has spaces: quote it, or the operator is not supported (use AND, = != > >= < <=)`);
  return value;
}

export function parseQ(q: string | null): Term[] {
  if (q === null || q.trim() === '') return [];
  return splitTerms(q).map((term) => {
    if (term === '') throw invalid(q, 'an empty term');
    const outsideQuotes = term.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, "''");
    if (/[()]/.test(outsideQuotes)) throw invalid(q, 'parentheses are not supported');
    if (/\s(or|like|between|in)\s/i.test(` ${outsideQuotes} `)) throw invalid(q, 'OR, LIKE, BETWEEN and IN are not supported');
    const m = TERM.exec(term);
    if (!m) throw invalid(q, `"${term}" is not Attribute <operator> value`);
    const value = unquote(m[3] ?? '', q);
    const op = m[2] === '<>' ? '!=' : (m[2] as Operator);
    return { attr: m[1]!, op, value };
  });
}

/** -1/0/1 comparing a record value with a filter value, typed by what they look like; undefined when not comparable. */
export function compareValues(actual: unknown, value: string): number | undefined {
  if (actual === null || actual === undefined) return undefined;
  if (typeof actual === 'boolean') return String(actual) === value.toLowerCase() ? 0 : undefined;
  const text = String(actual);
  if ((typeof actual === 'number' || NUMBER.test(text)) && NUMBER.test(value)) {
    const diff = Number(text) - Number(value);
    return Math.sign(diff);
  }
  if (ISO_DATE_PREFIX.test(text) && ISO_DATE_PREFIX.test(value)) {
    const a = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    const b = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  }
  return text === value ? 0 : text < value ? -1 : 1;
}

export function matches(record: Readonly<Record<string, unknown>>, terms: readonly Term[]): boolean {
  return terms.every(({ attr, op, value }) => {
    const c = compareValues(record[attr], value);
    if (c === undefined) return false;
    switch (op) {
      case '=':
        return c === 0;
      case '!=':
        return c !== 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
    }
  });
}
