import type { LegalEntityRef } from '@finmesh/contracts';
import type { LegalEntityHint, LegalEntityLookup } from './mapping-context';

/**
 * Which legal entity a platform's own organisational key books into: a Coupa chart of accounts,
 * an ERP business unit, a company code. The platforms do not carry finmesh's legal entity, so
 * every service maps their hints through this one directory.
 *
 * The entries come from FINMESH_LEGAL_ENTITIES (a JSON array of { kind, value, legalEntity }),
 * validated when read with one message per bad entry; the defaults describe the demo company.
 */
export interface LegalEntityDirectoryEntry {
  readonly kind: LegalEntityHint['kind'];
  readonly value: string;
  readonly legalEntity: LegalEntityRef;
}

const DEMO_COMPANY: readonly LegalEntityRef[] = [
  { code: 'DE01', country: 'DE', name: 'finmesh Deutschland GmbH' },
  { code: 'NL01', country: 'NL', name: 'finmesh Nederland B.V.' },
  { code: 'US01', country: 'US', name: 'finmesh Inc.' },
];

export const DEFAULT_LEGAL_ENTITY_DIRECTORY: readonly LegalEntityDirectoryEntry[] = DEMO_COMPANY.flatMap((le) => [
  { kind: 'chart-of-accounts' as const, value: le.code, legalEntity: le },
  { kind: 'business-unit' as const, value: `${le.country} Business Unit`, legalEntity: le },
  { kind: 'company-code' as const, value: le.code, legalEntity: le },
]);

export const LEGAL_ENTITIES_VARIABLE = 'FINMESH_LEGAL_ENTITIES';

/** Reads the directory from the environment (or the defaults); throws naming every bad entry. */
export function legalEntityDirectory(env: Readonly<Record<string, string | undefined>> = process.env): LegalEntityLookup {
  const raw = env[LEGAL_ENTITIES_VARIABLE];
  const entries = raw ? parseEntries(raw) : DEFAULT_LEGAL_ENTITY_DIRECTORY;
  return (hint) => entries.find((e) => e.kind === hint.kind && e.value === hint.value)?.legalEntity;
}

function parseEntries(raw: string): LegalEntityDirectoryEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${LEGAL_ENTITIES_VARIABLE}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${LEGAL_ENTITIES_VARIABLE}: must be a JSON array of { kind, value, legalEntity }`);
  const problems: string[] = [];
  parsed.forEach((e: unknown, i) => {
    const entry = e as Partial<LegalEntityDirectoryEntry> | null;
    const le = entry?.legalEntity as Partial<LegalEntityRef> | undefined;
    if (typeof entry?.kind !== 'string') problems.push(`[${i}].kind: required`);
    if (typeof entry?.value !== 'string' || entry.value === '') problems.push(`[${i}].value: required`);
    if (typeof le?.code !== 'string' || le.code === '') problems.push(`[${i}].legalEntity.code: required`);
    if (typeof le?.country !== 'string' || !/^[A-Z]{2}$/.test(le.country)) problems.push(`[${i}].legalEntity.country: must be an ISO 3166 alpha-2 code`);
  });
  if (problems.length > 0) throw new Error(`${LEGAL_ENTITIES_VARIABLE}: ${problems.join('; ')}`);
  return parsed as LegalEntityDirectoryEntry[];
}
