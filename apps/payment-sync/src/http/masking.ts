/**
 * Masks bank account numbers in stored ERP payloads before an API shows them (ops sees parked
 * payloads). Key names vary across Fusion integrations, hence a pattern rather than a list.
 */
const BANK_KEY = /(iban|bic|swift|account.?number|bank.?account|routing|sort.?code)/i;

export function maskBankDetails(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskBankDetails);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = BANK_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? maskString(String(v)) : maskBankDetails(v);
  }
  return out;
}

function maskString(text: string): string {
  const compact = text.replace(/\s+/g, '');
  return compact.length <= 4 ? '****' : `****${compact.slice(-4)}`;
}
