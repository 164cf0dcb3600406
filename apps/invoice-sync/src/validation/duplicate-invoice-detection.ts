import { Decimal, type InvoiceDocumentType } from '@finmesh/contracts';

/**
 * Duplicate-invoice detection: paying the same invoice twice is the costliest AP error, and
 * suppliers re-send invoices (reminders, "copy" PDFs, a second channel) with the number written
 * differently. Two rules, each run against the earlier invoices of the SAME supplier:
 *
 * 1. NUMBER — same normalised supplier invoice number ({@link normaliseInvoiceNumber}), whatever the
 *    amounts: a supplier's invoice number is unique by law in most VAT regimes, so a re-used number
 *    is either a re-send or a correction that must replace (credit) the first one, never a second
 *    payable.
 * 2. AMOUNT_AND_DATE — same gross amount in the same currency on the same invoice date, whatever
 *    the numbers: catches a re-send whose number was mistyped or mis-read by OCR.
 *
 * Trade-off: rule 2 also fires on genuinely different invoices that happen to agree (a supplier
 * billing two identical monthly subscriptions or two equal deliveries on one day), so it is a
 * reason for a clerk to look, not an automatic rejection; rule 1 is far more certain. Normalising
 * the number more aggressively would catch more re-sends but would merge numbers that really
 * differ: separate digit groups stay separate ("2024-001" is not "2024001").
 *
 * A credit note is never a duplicate of an invoice (it usually quotes the invoice's number on
 * purpose) and vice versa: only documents of the same type are compared. The invoice itself (same
 * invoiceId, e.g. when it is validated again after a goods receipt) is never its own duplicate.
 */

export interface SeenInvoice {
  readonly invoiceId: string;
  readonly supplierInvoiceNumber: string;
  readonly documentType: InvoiceDocumentType;
  /** Gross amount (totals.gross), decimal string. */
  readonly grossAmount: string;
  readonly currency: string;
  /** 'YYYY-MM-DD'. */
  readonly invoiceDate: string;
}

export type DuplicateRule = 'NUMBER' | 'AMOUNT_AND_DATE';

export interface DuplicateMatch {
  readonly earlier: SeenInvoice;
  /** Rules that fired for this earlier invoice (both when number, amount and date agree). */
  readonly rules: readonly DuplicateRule[];
}

export interface DuplicateCheckResult {
  readonly isDuplicate: boolean;
  /** Earlier invoices this one duplicates, in the order they were given. */
  readonly matches: readonly DuplicateMatch[];
}

/**
 * Prefix words suppliers put in front of the number ("INV-00123", "Invoice No. 123", "RE 123",
 * "Rechnung Nr. 123", "Factuur 123"). Only stripped while something follows, so an invoice
 * numbered just "INV" stays "INV".
 */
const NUMBER_PREFIXES = new Set(['INVOICE', 'INV', 'NO', 'NR', 'NUM', 'NUMBER', 'RE', 'RECHNUNG', 'FACTUUR', 'FACTURE', 'FACTURA', 'FAKTURA']);

/**
 * Normalised supplier invoice number: upper case, split into letter and digit groups (whitespace
 * and punctuation such as '-', '/', '.', '#' are separators), leading prefix words dropped, leading
 * zeros of digit groups dropped, groups joined with '-'.
 * "INV-00123", "inv 123", "#123", "Invoice No. 0123" -> "123"; "AB/2024/007" -> "AB-2024-7".
 */
export function normaliseInvoiceNumber(raw: string): string {
  const groups = raw.normalize('NFKC').toUpperCase().match(/[A-Z]+|\d+/g) ?? [];
  let start = 0;
  while (start < groups.length - 1 && NUMBER_PREFIXES.has(groups[start] ?? '')) start++;
  return groups
    .slice(start)
    .map((g) => (/^\d+$/.test(g) ? g.replace(/^0+(?=\d)/, '') : g))
    .join('-');
}

/** Checks `invoice` against the earlier invoices of its supplier (the caller selects by supplier). */
export function detectDuplicateInvoice(invoice: SeenInvoice, earlierOfSupplier: readonly SeenInvoice[]): DuplicateCheckResult {
  const number = normaliseInvoiceNumber(invoice.supplierInvoiceNumber);
  const gross = Decimal.parse(invoice.grossAmount);
  const matches: DuplicateMatch[] = [];
  for (const earlier of earlierOfSupplier) {
    if (earlier.invoiceId === invoice.invoiceId || earlier.documentType !== invoice.documentType) continue;
    const rules: DuplicateRule[] = [];
    // An empty normalised number (a number of punctuation only) identifies nothing.
    if (number !== '' && normaliseInvoiceNumber(earlier.supplierInvoiceNumber) === number) rules.push('NUMBER');
    if (
      earlier.currency === invoice.currency &&
      earlier.invoiceDate === invoice.invoiceDate &&
      Decimal.parse(earlier.grossAmount).equals(gross)
    ) {
      rules.push('AMOUNT_AND_DATE');
    }
    if (rules.length > 0) matches.push({ earlier, rules });
  }
  return { isDuplicate: matches.length > 0, matches };
}
