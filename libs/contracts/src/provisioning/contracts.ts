import type { ContractVersion } from '../registry/contract-registration';
import { loadSchemaCatalog, type SchemaCatalog } from '../schema/schema-catalog';

let catalog: SchemaCatalog | undefined;

/**
 * The contracts this build was written against (`schemas/`), loaded once per process.
 * It is the codec's local (reader) schema source.
 */
export function localSchemaSource(): SchemaCatalog {
  catalog ??= loadSchemaCatalog();
  return catalog;
}

/** Every version of every event contract, as registered in the schema registry. */
export function contractVersions(source: SchemaCatalog = localSchemaSource()): ContractVersion[] {
  return source.versions.map((v) => ({ event: v.name, version: v.version, compatibility: v.compatibility, schema: v.schema }));
}
