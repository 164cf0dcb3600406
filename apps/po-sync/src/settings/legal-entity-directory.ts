import type { LegalEntityHint, LegalEntityLookup } from '@finmesh/adapters';
import type { LegalEntityRef } from '@finmesh/events';

/**
 * Which legal entity a Coupa chart of accounts books into (Coupa has no legal entity; charts of
 * accounts are set up per company). Doubtful: belongs in shared configuration; until then the
 * PO_SYNC_LEGAL_ENTITIES environment variable (JSON array of { kind, value, legalEntity })
 * replaces the defaults below.
 */
interface DirectoryEntry {
  readonly kind: LegalEntityHint['kind'];
  readonly value: string;
  readonly legalEntity: LegalEntityRef;
}

const DEFAULT_ENTRIES: readonly DirectoryEntry[] = [
  { kind: 'chart-of-accounts', value: 'DE01', legalEntity: { code: 'DE01', country: 'DE', name: 'finmesh Deutschland GmbH' } },
  { kind: 'chart-of-accounts', value: 'NL01', legalEntity: { code: 'NL01', country: 'NL', name: 'finmesh Nederland B.V.' } },
  { kind: 'chart-of-accounts', value: 'US01', legalEntity: { code: 'US01', country: 'US', name: 'finmesh Inc.' } },
];

export function legalEntityDirectory(env: Readonly<Record<string, string | undefined>> = process.env): LegalEntityLookup {
  const raw = env['PO_SYNC_LEGAL_ENTITIES'];
  const entries = raw ? (JSON.parse(raw) as DirectoryEntry[]) : DEFAULT_ENTRIES;
  return (hint) => entries.find((e) => e.kind === hint.kind && e.value === hint.value)?.legalEntity;
}
