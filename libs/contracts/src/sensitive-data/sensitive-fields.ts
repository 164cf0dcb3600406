/**
 * Masks bank details and tax ids in a decoded event before an operator sees it (`finmesh dlt
 * show`). Which fields are sensitive is the policy's (sensitive-data-policy.ts); the style is
 * this file's: unlike log redaction, which removes the value, masking keeps the last four
 * characters so an operator can still tell two accounts apart ("****3000") without reading the number.
 */
import { maskSensitiveData, sensitiveDataPolicy } from './sensitive-data-policy';

const VISIBLE = 4;

/** True when a key names a bank account number, bank code or tax id by itself. */
export function isSensitiveField(key: string): boolean {
  return sensitiveDataPolicy().kindOfKey(key) !== undefined;
}

/**
 * "DE89370400440532013000" -> "****3000" (the form of BankAccount.maskedReference). The mask has
 * a fixed width, so it does not reveal the length either; values of 8 characters or fewer
 * (BICs, short ids) are hidden entirely, as their last four would be half of them.
 */
export function maskText(text: string): string {
  if (text.length <= VISIBLE * 2) return '****';
  return `****${text.slice(-VISIBLE)}`;
}

/** A copy of `value` with every sensitive field masked, at any depth. Cycles are cut. */
export function maskSensitiveFields(value: unknown): unknown {
  return maskSensitiveData(value, maskText);
}
