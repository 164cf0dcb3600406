/**
 * The vocabulary of the `"finmesh.sensitive"` field property in `schemas/`. Kept apart from the
 * policy so that the schema loader can validate the property without depending on the policy
 * (which itself is built from the loaded catalog).
 */

/** Field property that marks an Avro field as sensitive data, e.g. `"finmesh.sensitive": "bank-account"`. */
export const SENSITIVE_ATTRIBUTE = 'finmesh.sensitive';

/**
 * What a sensitive field holds. Consumers choose their masking style by kind (the API keeps a
 * BIC's bank code readable, an account number's last four).
 *  - bank-account: IBAN or domestic account number (lets anyone pay into or debit the account);
 *  - bank-code: BIC/SWIFT, routing number, sort code (identifies the bank and branch of an account);
 *  - tax-id: VAT number, tax registration, taxpayer id (identifies and can impersonate a party).
 */
export const SENSITIVE_KINDS = ['bank-account', 'bank-code', 'tax-id'] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

export function isSensitiveKind(value: unknown): value is SensitiveKind {
  return typeof value === 'string' && (SENSITIVE_KINDS as readonly string[]).includes(value);
}

/** One field of a contract record declared sensitive with `"finmesh.sensitive"`. */
export interface SensitiveFieldDeclaration {
  /** Full name of the record that declares the field, e.g. 'finmesh.common.BankAccount'. */
  readonly record: string;
  /** The field's name in that record, e.g. 'iban'. */
  readonly field: string;
  readonly kind: SensitiveKind;
  /** The file that declares it, for messages. */
  readonly file: string;
}
