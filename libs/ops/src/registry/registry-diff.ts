import type { ContractVersion, EventName, RegistryAdmin } from '@finmesh/contracts';
import * as avro from 'avsc';

/**
 * - missing: a local contract version the registry does not have (run schemas register);
 * - different: the registry's version N is not the local version N (someone registered by hand,
 *   or a released contract was edited);
 * - extra: a version the registry has that the local contracts do not (a newer build registered
 *   it, or a local version was deleted);
 * - same.
 */
export type SchemaDiffStatus = 'same' | 'missing' | 'different' | 'extra';

export interface SchemaDiffEntry {
  readonly subject: string;
  readonly event: EventName | null;
  readonly version: number;
  readonly status: SchemaDiffStatus;
  /** The registry's schema id, when it has the version. */
  readonly schemaId: number | null;
}

export interface SchemaDiff {
  readonly inSync: boolean;
  readonly entries: readonly SchemaDiffEntry[];
}

/**
 * Compares the local contracts with what the registry holds, subject by subject and version by
 * version. Schemas are compared in avsc's normalized form (names fully qualified, attributes
 * kept): registries rewrite the text they store (Apicurio drops a namespace equal to the
 * enclosing one), so a text comparison would report every schema as different, while any change
 * of a name, type, default, doc or logical type still shows.
 */
export async function diffRegistryContracts(
  admin: Pick<RegistryAdmin, 'listVersions' | 'getSchemaVersion'>,
  contracts: readonly ContractVersion[],
  subjectOf: (event: EventName) => string,
): Promise<SchemaDiff> {
  const byEvent = new Map<EventName, ContractVersion[]>();
  for (const c of contracts) byEvent.set(c.event, [...(byEvent.get(c.event) ?? []), c]);
  const entries: SchemaDiffEntry[] = [];
  for (const [event, versions] of byEvent) {
    const subject = subjectOf(event);
    const registered = new Set(await admin.listVersions(subject));
    for (const local of [...versions].sort((a, b) => a.version - b.version)) {
      if (!registered.has(local.version)) {
        entries.push({ subject, event, version: local.version, status: 'missing', schemaId: null });
        continue;
      }
      const remote = await admin.getSchemaVersion(subject, local.version);
      const same = normalizedSchema(JSON.parse(remote.schema) as object) === normalizedSchema(local.schema);
      entries.push({ subject, event, version: local.version, status: same ? 'same' : 'different', schemaId: remote.id });
      registered.delete(local.version);
    }
    for (const version of [...registered].sort((a, b) => a - b)) {
      const remote = await admin.getSchemaVersion(subject, version);
      entries.push({ subject, event, version, status: 'extra', schemaId: remote.id });
    }
  }
  return { inSync: entries.every((e) => e.status === 'same'), entries };
}

function normalizedSchema(schema: object): string {
  return JSON.stringify(avro.Type.forSchema(schema as avro.Schema).schema({ exportAttrs: true }));
}
