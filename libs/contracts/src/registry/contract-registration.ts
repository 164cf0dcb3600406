import { subjectFor, type EventName } from '../topics/topic-catalog';
import { DEFAULT_COMPATIBILITY, type CompatibilityMode } from '../schema/compatibility';
import { RegistryAdmin, RegistryRequestError } from './registry-admin';

/** One version of one event contract, self-contained, as it is registered. */
export interface ContractVersion {
  readonly event: EventName;
  readonly version: number;
  readonly compatibility: CompatibilityMode;
  readonly schema: object;
}

export interface RegisteredSubject {
  readonly subject: string;
  readonly compatibility: CompatibilityMode;
  readonly schemaIds: readonly { version: number; schemaId: number }[];
}

/** The registry refused a contract version; names the subject, the version and the registry's reason. */
export class ContractRejectedError extends Error {
  constructor(readonly subject: string, readonly version: number, readonly reason: string) {
    super(`schema registry rejected ${subject} v${version}: ${reason}`);
    this.name = 'ContractRejectedError';
  }
}

/**
 * Registers every contract version in order under its TopicRecordNameStrategy subject, after
 * setting the subject's compatibility level, so the registry itself refuses a later incompatible
 * version whoever tries to register it. Re-running is a no-op: an identical schema gets its id back.
 */
export async function registerContracts(
  admin: RegistryAdmin,
  contracts: readonly ContractVersion[],
  options: { subjectOf?: (event: EventName) => string; globalCompatibility?: CompatibilityMode } = {},
): Promise<RegisteredSubject[]> {
  const subjectOf = options.subjectOf ?? ((e: EventName) => subjectFor(e));
  await admin.setGlobalCompatibility(options.globalCompatibility ?? DEFAULT_COMPATIBILITY);

  const byEvent = new Map<EventName, ContractVersion[]>();
  for (const c of contracts) byEvent.set(c.event, [...(byEvent.get(c.event) ?? []), c]);

  const results: RegisteredSubject[] = [];
  for (const [event, versions] of byEvent) {
    const ordered = [...versions].sort((a, b) => a.version - b.version);
    const subject = subjectOf(event);
    // The newest version's declared mode governs the subject (modes may tighten over time).
    const compatibility = ordered[ordered.length - 1]?.compatibility ?? DEFAULT_COMPATIBILITY;
    await admin.setSubjectCompatibility(subject, compatibility);
    const schemaIds: { version: number; schemaId: number }[] = [];
    for (const v of ordered) {
      try {
        schemaIds.push({ version: v.version, schemaId: await admin.register(subject, v.schema) });
      } catch (err) {
        if (err instanceof RegistryRequestError && (err.isIncompatible || err.status === 422)) {
          throw new ContractRejectedError(subject, v.version, err.registryMessage);
        }
        throw err;
      }
    }
    results.push({ subject, compatibility, schemaIds });
  }
  return results;
}
