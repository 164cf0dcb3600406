import { sensitiveDataPolicy, type BankAccount, type SensitiveKind, type TaxId } from '@finmesh/contracts';

/**
 * Masking of supplier bank accounts and tax ids for API readers other than the system of record.
 * Enough stays visible to recognise an account ("the NL account ending 4300") and its bank
 * ("COBA…"), and nothing that would let a reader pay into it or impersonate the supplier.
 * Which fields are masked is the sensitive-data policy's (the contracts' "finmesh.sensitive"
 * marks on BankAccount and TaxId); this file only decides how each kind is shown.
 */

const BANK_ACCOUNT_RECORD = 'finmesh.common.BankAccount';
const TAX_ID_RECORD = 'finmesh.common.TaxId';

/** Keeps `head` leading and `tail` trailing characters, stars in between; short values keep less. */
export function maskMiddle(value: string, head: number, tail: number): string {
  // Never reveal more than half of a short value; the tail (what people quote) is kept first.
  const visible = Math.min(head + tail, Math.floor(value.length / 2));
  const keepTail = Math.min(tail, visible);
  const keepHead = Math.min(head, visible - keepTail);
  return value.slice(0, keepHead) + '*'.repeat(value.length - keepHead - keepTail) + value.slice(value.length - keepTail);
}

/** IBAN: country code and check digits plus the last four stay, e.g. NL91**********4300. */
export function maskIban(iban: string): string {
  return maskMiddle(iban, 4, 4);
}

/** Domestic account numbers: last four only. */
export function maskAccountNumber(accountNumber: string): string {
  return maskMiddle(accountNumber, 0, 4);
}

/**
 * BIC and routing number: the leading bank code stays (ops chase a rejected payment with that
 * bank), the rest does not, e.g. COBA******* for COBADEFFXXX.
 */
export function maskBankCode(code: string): string {
  return maskMiddle(code, 4, 0);
}

/** Tax ids: the country prefix (VAT) and last two, e.g. DE*******89. */
export function maskTaxIdValue(value: string): string {
  return maskMiddle(value, 2, 2);
}

/** Country code and two check digits first: the IBAN form, which keeps its country visible. */
const IBAN_SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/;

function maskByKind(value: string, kind: SensitiveKind): string {
  switch (kind) {
    case 'bank-account':
      return IBAN_SHAPE.test(value) ? maskIban(value) : maskAccountNumber(value);
    case 'bank-code':
      return maskBankCode(value);
    case 'tax-id':
      return maskTaxIdValue(value);
  }
}

/** A copy of a contract record with each field the policy declares sensitive in it masked (null stays null). */
function maskDeclaredFields<T extends BankAccount | TaxId>(record: T, recordFullName: string): T {
  const out: Record<string, unknown> = { ...record };
  for (const [field, kind] of sensitiveDataPolicy().fieldsOfRecord(recordFullName)) {
    const value = out[field];
    if (typeof value === 'string') out[field] = maskByKind(value, kind);
  }
  return out as T;
}

export function maskBankAccount(account: BankAccount): BankAccount {
  return maskDeclaredFields(account, BANK_ACCOUNT_RECORD);
}

export function maskTaxId(taxId: TaxId): TaxId {
  return maskDeclaredFields(taxId, TAX_ID_RECORD);
}
