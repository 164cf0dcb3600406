/**
 * Masks bank details and tax ids in a decoded event before an operator sees it (`finmesh dlt
 * show`). Unlike log redaction, which removes the value, masking keeps the last four characters
 * so an operator can still tell two accounts apart ("****3000") without reading the number.
 */

/** Fields that hold an account number, bank code or tax id themselves, whatever record they are in. */
const SENSITIVE_LEAF = /^(iban|bic|swift|swiftcode|accountnumber|bankaccountnumber|routingnumber|sortcode|taxid|taxnumber|vatid|vatnumber|tin|ssn)$/;
/** Containers of tax ids: their `value` field is the id (finmesh.common.TaxId). */
const TAX_ID_CONTAINER = /^(taxid|taxids|taxregistration|taxregistrations)$/;

const VISIBLE = 4;

function normalize(key: string): string {
  return key.replace(/[_-]/g, '').toLowerCase();
}

export function isSensitiveField(key: string): boolean {
  return SENSITIVE_LEAF.test(normalize(key));
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

function maskAll(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return maskText(String(value));
  if (Array.isArray(value)) return value.map(maskAll);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskAll(v)]));
  }
  return value;
}

/** A copy of `value` with every sensitive field masked, at any depth. Cycles are cut. */
export function maskSensitiveFields(value: unknown): unknown {
  return mask(value, false, new WeakSet());
}

function mask(value: unknown, inTaxIdContainer: boolean, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => mask(v, inTaxIdContainer, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = normalize(k);
    if (SENSITIVE_LEAF.test(key) && (v === null || typeof v !== 'object' || Array.isArray(v))) out[k] = maskAll(v);
    else if (inTaxIdContainer && key === 'value') out[k] = maskAll(v);
    else out[k] = mask(v, TAX_ID_CONTAINER.test(key) || (inTaxIdContainer && Array.isArray(v)), seen);
  }
  return out;
}
