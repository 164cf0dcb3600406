import { maskSensitiveData } from '@finmesh/contracts';

/**
 * Masks bank details and tax ids in stored ERP payloads before an API shows them (ops sees parked
 * payloads). Key names vary across Fusion integrations; which keys are sensitive is the one
 * sensitive-data policy's (@finmesh/contracts: RemitToAccountNumber, PayeeBankAccountNumber,
 * SWIFTCode, ... and any key ending in AccountNumber or IBAN). Only the last four characters stay.
 */
export function maskBankDetails(value: unknown): unknown {
  return maskSensitiveData(value, maskString);
}

function maskString(text: string): string {
  const compact = text.replace(/\s+/g, '');
  return compact.length <= 4 ? '****' : `****${compact.slice(-4)}`;
}
