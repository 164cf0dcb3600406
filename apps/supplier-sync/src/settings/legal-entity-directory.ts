import type { LegalEntityHint, LegalEntityLookup } from '@finmesh/adapters';
import type { LegalEntityRef } from '@finmesh/events';

/**
 * Which legal entity an ERP business unit books into. Fusion suppliers name their procurement BU
 * per site; finmesh events need the legal entity (company code).
 *
 * Doubtful: this belongs in shared configuration (a settings file or a service-kit setting) that
 * every service reads; until that exists the defaults below can be replaced with the
 * SUPPLIER_SYNC_LEGAL_ENTITIES environment variable, a JSON array of { kind, value, legalEntity }.
 */
interface DirectoryEntry {
  readonly kind: LegalEntityHint['kind'];
  readonly value: string;
  readonly legalEntity: LegalEntityRef;
}

const DEFAULT_ENTRIES: readonly DirectoryEntry[] = [
  { kind: 'business-unit', value: 'DE Business Unit', legalEntity: { code: 'DE01', country: 'DE', name: 'finmesh Deutschland GmbH' } },
  { kind: 'business-unit', value: 'NL Business Unit', legalEntity: { code: 'NL01', country: 'NL', name: 'finmesh Nederland B.V.' } },
  { kind: 'business-unit', value: 'US Business Unit', legalEntity: { code: 'US01', country: 'US', name: 'finmesh Inc.' } },
];

export function legalEntityDirectory(env: Readonly<Record<string, string | undefined>> = process.env): LegalEntityLookup {
  const raw = env['SUPPLIER_SYNC_LEGAL_ENTITIES'];
  const entries = raw ? (JSON.parse(raw) as DirectoryEntry[]) : DEFAULT_ENTRIES;
  return (hint) => entries.find((e) => e.kind === hint.kind && e.value === hint.value)?.legalEntity;
}
