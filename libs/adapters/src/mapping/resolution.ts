/** Id and legal-entity resolution that records a problem at the source path instead of throwing. */
import type { LegalEntityRef, SourcePlatform } from '@finmesh/contracts';
import type { FieldReader } from './field-reader';
import type { FinmeshIdKind, LegalEntityHintKind, MappingContext } from './mapping-context';
import type { ProblemCollector } from './mapping-error';

export function resolveId(
  ctx: MappingContext,
  reader: FieldReader,
  field: string,
  kind: FinmeshIdKind,
  key: string | undefined,
  source: SourcePlatform,
): string | undefined {
  if (key === undefined) return undefined;
  const id = ctx.ids({ kind, key, source });
  if (id === undefined) reader.problem(field, `no finmesh ${kind} is known for ${JSON.stringify(key)}`);
  return id;
}

export interface LegalEntityCandidate {
  readonly path: string;
  readonly kind: LegalEntityHintKind;
  readonly value: string;
}

/**
 * The one legal entity all hints of a document agree on. A document booked in two legal entities
 * is a data error in the source (each legal entity has its own books), so disagreement is a problem.
 */
export function resolveLegalEntity(
  ctx: MappingContext,
  problems: ProblemCollector,
  candidates: readonly LegalEntityCandidate[],
  rootPath = '',
): LegalEntityRef | undefined {
  let chosen: { ref: LegalEntityRef; path: string } | undefined;
  let ok = true;
  for (const c of candidates) {
    const ref = ctx.legalEntities({ kind: c.kind, value: c.value });
    if (!ref) {
      problems.add(c.path, `no legal entity is configured for ${c.kind} ${JSON.stringify(c.value)}`);
      ok = false;
      continue;
    }
    if (chosen && chosen.ref.code !== ref.code) {
      problems.add(c.path, `belongs to legal entity ${ref.code} but ${chosen.path} belongs to ${chosen.ref.code}; a document has one legal entity`);
      ok = false;
      continue;
    }
    chosen ??= { ref, path: c.path };
  }
  if (candidates.length === 0) {
    problems.add(rootPath, 'has no field the legal entity can be derived from');
    return undefined;
  }
  return ok ? chosen?.ref : undefined;
}
