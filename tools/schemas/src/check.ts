import * as path from 'node:path';
import { checkNewVersion } from '../../../libs/events/src/schema/compatibility';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog, type SchemaCatalog } from '../../../libs/events/src/schema/schema-catalog';
import { formatProblem, SchemaContractError } from '../../../libs/events/src/schema/schema-errors';
import { DEFAULT_GENERATED_FILE, typesAreInSync } from './types';

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
 * The contract gate run in CI: (a) every schema loads and is valid, (b) every version is
 * compatible with its predecessors per its declared mode, (c) the generated TypeScript types
 * match the schemas.
 */
export function runSchemaCheck(options: SchemaCheckOptions = {}): SchemaCheckResult {
  const schemasDir = options.schemasDir ?? DEFAULT_SCHEMAS_DIR;
  const generatedFile = options.generatedFile ?? DEFAULT_GENERATED_FILE;
  let catalog: SchemaCatalog;
  try {
    catalog = loadSchemaCatalog(schemasDir);
  } catch (err) {
    // Nothing else can be checked meaningfully on contracts that do not load.
    if (err instanceof SchemaContractError) return { ok: false, problems: err.problems.map(formatProblem) };
    throw err;
  }
  const problems = compatibilityProblems(catalog);
  const sync = typesAreInSync({ schemasDir, generatedFile });
  if (!sync.inSync) {
    const relative = path.relative(process.cwd(), generatedFile);
    const shown = relative && !relative.startsWith('..') ? relative : generatedFile;
    problems.push(`${shown} is out of date with the schemas: run npm run schemas:types\n${sync.diff ?? ''}`);
  }
  return { ok: problems.length === 0, problems };
}
