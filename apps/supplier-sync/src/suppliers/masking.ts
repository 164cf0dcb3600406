import type { BankAccount, TaxId } from '@finmesh/contracts';

/**
 * Masking of supplier bank accounts and tax ids for API readers other than the system of record.
 * Enough stays visible to recognise an account ("the NL account ending 4300") and nothing that
 * would let a reader pay into it or impersonate the supplier.
 */

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

/** Tax ids: the country prefix (VAT) and last two, e.g. DE*******89. */
export function maskTaxIdValue(value: string): string {
  return maskMiddle(value, 2, 2);
}

/**
 * BIC and routing number identify the bank, not the account; they are published bank directory
 * data and stay readable (ops need them to chase a rejected payment with the bank).
 */
export function maskBankAccount(account: BankAccount): BankAccount {
  return {
    ...account,
    iban: account.iban === null ? null : maskIban(account.iban),
    accountNumber: account.accountNumber === null ? null : maskAccountNumber(account.accountNumber),
  };
}

export function maskTaxId(taxId: TaxId): TaxId {
  return { ...taxId, value: maskTaxIdValue(taxId.value) };
}
