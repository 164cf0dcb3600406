import * as path from 'node:path';
import { checkNewVersion } from './compatibility';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog, type SchemaCatalog } from './schema-catalog';
import {
  addReleasedVersions,
  readReleasedLock,
  RELEASED_LOCK_FILE,
  releasedLockProblems,
  removedReleasedVersions,
  writeReleasedLock,
} from './released-lock';
import { formatProblem, SchemaContractError, type SchemaProblem } from './schema-errors';
import { DEFAULT_GENERATED_FILE, typesAreInSync } from './generated-types';

export interface SchemaCheckOptions {
  readonly schemasDir?: string;
  readonly generatedFile?: string;
}

export interface SchemaCheckResult {
  readonly ok: boolean;
  readonly problems: string[];
}

function compatibilityProblems(catalog: SchemaCatalog): string[] {
  const problems: string[] = [];
  for (const version of catalog.versions) {
    const previous = catalog.schemaVersions(version.name).filter((v) => v.version < version.version);
    if (previous.length === 0) continue;
    // The newer version's declared mode governs: it is the one being introduced.
    for (const issue of checkNewVersion(version, previous, version.compatibility)) problems.push(issue.message);
  }
  return problems;
}

/**
 * The contract gate run in CI: (a) every schema loads and is valid, (b) every released version
 * is unchanged and still present, and every version is released (schemas/released.lock.json),
 * (c) every version is compatible with its predecessors per its declared mode, (d) the
 * generated TypeScript types match the schemas.
 */
export function runSchemaCheck(options: SchemaCheckOptions = {}): SchemaCheckResult {
  const schemasDir = options.schemasDir ?? DEFAULT_SCHEMAS_DIR;
  const generatedFile = options.generatedFile ?? DEFAULT_GENERATED_FILE;
  const lockRead = readReleasedLock(schemasDir);
  let catalog: SchemaCatalog;
  try {
    catalog = loadSchemaCatalog(schemasDir);
  } catch (err) {
    // Nothing else can be checked meaningfully on contracts that do not load, except that no
    // released version file was deleted (a file check).
    if (!(err instanceof SchemaContractError)) throw err;
    const removed = lockRead.ok ? removedReleasedVersions(schemasDir, lockRead.lock) : [lockRead.problem];
    return { ok: false, problems: [...err.problems, ...removed].map(formatProblem) };
  }
  const lockProblems: SchemaProblem[] = lockRead.ok ? releasedLockProblems(schemasDir, lockRead.lock, catalog) : [lockRead.problem];
  const problems = [...lockProblems.map(formatProblem), ...compatibilityProblems(catalog)];
  const sync = typesAreInSync({ schemasDir, generatedFile });
  if (!sync.inSync) {
    const relative = path.relative(process.cwd(), generatedFile);
    const shown = relative && !relative.startsWith('..') ? relative : generatedFile;
    problems.push(`${shown} is out of date with the schemas: run npm run schemas:types\n${sync.diff ?? ''}`);
  }
  return { ok: problems.length === 0, problems };
}

export interface SchemaLockResult {
  readonly ok: boolean;
  /** Versions added to the lock, e.g. 'InvoiceReceived v2'. */
  readonly added: readonly string[];
  readonly problems: string[];
}

/**
 * `npm run schemas:lock`: releases the versions not yet in schemas/released.lock.json by adding
 * their fingerprints. Never rewrites an existing entry: if a released version changed, it writes
 * nothing and says why. Only contracts that load and pass the compatibility check are released.
 */
export function runSchemaLock(options: Pick<SchemaCheckOptions, 'schemasDir'> = {}): SchemaLockResult {
  const schemasDir = options.schemasDir ?? DEFAULT_SCHEMAS_DIR;
  const lockRead = readReleasedLock(schemasDir);
  if (!lockRead.ok) return { ok: false, added: [], problems: [formatProblem(lockRead.problem)] };
  let catalog: SchemaCatalog;
  try {
    catalog = loadSchemaCatalog(schemasDir);
  } catch (err) {
    if (err instanceof SchemaContractError) return { ok: false, added: [], problems: err.problems.map(formatProblem) };
    throw err;
  }
  const incompatible = compatibilityProblems(catalog);
  if (incompatible.length > 0) return { ok: false, added: [], problems: incompatible };
  const update = addReleasedVersions(lockRead.lock, catalog);
  if (update.conflicts.length > 0) {
    return {
      ok: false,
      added: [],
      problems: [
        ...update.conflicts.map(formatProblem),
        `schemas/${RELEASED_LOCK_FILE} left unchanged: the lock never rewrites a released version's fingerprint`,
      ],
    };
  }
  if (update.added.length > 0 || !lockRead.exists) writeReleasedLock(schemasDir, update.lock);
  return { ok: true, added: update.added, problems: [] };
}
