import * as fs from 'node:fs';
import * as path from 'node:path';
import * as avro from 'avsc';
import { AGGREGATE_NAMESPACE, EVENT_NAMES, TOPICS, topicForEvent, type Aggregate, type EventName } from '../topics/topic-catalog';
import { isJsonObject, qualifyName, type JsonObject } from './avro-json';
import { DEFAULT_COMPATIBILITY, isCompatibilityMode, type CompatibilityMode } from './compatibility';
import { readJsonFile } from './json-file';
import { formatProblem, SchemaContractError, type SchemaProblem } from './schema-errors';
import { buildSelfContainedSchema, collectNamedDefinitions, type NamedDefinition } from './self-contained-schema';
import type { SensitiveFieldDeclaration } from '../sensitive-data/sensitive-kinds';
import { BUSINESS_RULES_FILE, buildBusinessRuleSet, NO_BUSINESS_RULES, type BusinessRuleSet } from '../business-rules/business-rule-set';

/** Namespace of the shared types in `schemas/common/`. */
export const COMMON_NAMESPACE = 'finmesh.common';
export const ENVELOPE_TYPE = `${COMMON_NAMESPACE}.EventEnvelope`;
/** Top-level attribute an event schema may use to declare its compatibility mode. */
export const COMPATIBILITY_ATTRIBUTE = 'finmesh.compatibility';

/** `schemas/` at the repository root (this file is libs/contracts/src/schema/). */
export const DEFAULT_SCHEMAS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'schemas');

const EVENT_FILE = /^([A-Za-z_][A-Za-z0-9_]*)\.v([1-9][0-9]*)\.avsc$/;

/** One version of one event contract, ready to register. */
export interface EventSchemaVersion {
  readonly name: EventName;
  /** Avro record full name, e.g. 'finmesh.invoice.InvoiceReceived'. */
  readonly fullName: string;
  readonly aggregate: Aggregate;
  readonly version: number;
  readonly compatibility: CompatibilityMode;
  /** Absolute path of the `.avsc` file. */
  readonly file: string;
  /** Path for messages, 'schemas/events/invoice/InvoiceReceived.v1.avsc'. */
  readonly displayFile: string;
  /** 'InvoiceReceived v1 (schemas/events/invoice/InvoiceReceived.v1.avsc)'. */
  readonly label: string;
  /**
   * Self-contained schema: every shared type is defined at its first use and referenced by full
   * name afterwards; governance attributes removed. This is what the registry receives.
   */
  readonly schema: JsonObject;
}

export interface SharedTypeDefinition {
  readonly fullName: string;
  readonly displayFile: string;
}

export interface SchemaCatalog {
  readonly schemasDir: string;
  readonly sharedTypes: readonly SharedTypeDefinition[];
  /** All versions of all events, in EVENT_NAMES order, then by version. */
  readonly versions: readonly EventSchemaVersion[];
  /**
   * Every record field marked `"finmesh.sensitive"` in `schemas/` (shared types and events), once
   * each. The mark is stripped from the registered schemas, so this is where the policy reads it.
   */
  readonly sensitiveFields: readonly SensitiveFieldDeclaration[];
  /** The events' business rules (`schemas/business-rules.json`), compiled against the newest schemas. */
  readonly businessRules: BusinessRuleSet;
  /** Versions of one event, oldest first. */
  schemaVersions(name: EventName): readonly EventSchemaVersion[];
  latest(name: EventName): EventSchemaVersion;
  /** Self-contained schema of the newest version (the codec's local reader schema). */
  latestSchema(name: EventName): avro.Schema;
  schemaFor(name: EventName, version: number): EventSchemaVersion | undefined;
}

/**
 * avsc options the contracts must parse with (the codec builds its types the same way).
 * A fresh object per call: avsc stores its name registry on the options object it is given.
 */
function avscOptions(): Partial<avro.ForSchemaOptions> {
  return { wrapUnions: false };
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort();
}

function displayPath(schemasDir: string, file: string): string {
  return ['schemas', ...path.relative(schemasDir, file).split(path.sep)].join('/');
}

function loadSharedTypes(schemasDir: string, problems: SchemaProblem[], sensitive: SensitiveFieldDeclaration[]): { registry: Map<string, NamedDefinition>; shared: SharedTypeDefinition[] } {
  const registry = new Map<string, NamedDefinition>();
  const shared: SharedTypeDefinition[] = [];
  const dir = path.join(schemasDir, 'common');
  for (const entry of listFiles(dir)) {
    const file = path.join(dir, entry);
    const shown = displayPath(schemasDir, file);
    if (!entry.endsWith('.avsc')) {
      if (fs.statSync(file).isFile() && !entry.endsWith('.md')) problems.push({ file: shown, message: 'unexpected file; shared types are <FullName>.avsc' });
      continue;
    }
    const read = readJsonFile(file);
    if (!read.ok) {
      problems.push({ file: shown, message: read.message });
      continue;
    }
    const json = read.value;
    if (!isJsonObject(json) || typeof json['name'] !== 'string' || !['record', 'enum', 'fixed'].includes(String(json['type']))) {
      problems.push({ file: shown, message: 'a shared type file must hold one named type (record, enum or fixed) with a "name"' });
      continue;
    }
    const fullName = qualifyName(json['name'], typeof json['namespace'] === 'string' ? json['namespace'] : undefined);
    const expected = entry.slice(0, -'.avsc'.length);
    if (fullName !== expected) {
      problems.push({ file: shown, message: `defines '${fullName}' but the file name says '${expected}'; name shared files <namespace>.<Name>.avsc` });
    }
    if (!fullName.startsWith(`${COMMON_NAMESPACE}.`) || fullName.split('.').length !== COMMON_NAMESPACE.split('.').length + 1) {
      problems.push({ file: shown, message: `shared type '${fullName}' must be in namespace '${COMMON_NAMESPACE}'` });
    }
    for (const definition of collectNamedDefinitions(json, shown)) {
      const existing = registry.get(definition.fullName);
      if (existing) {
        problems.push({ file: shown, message: `'${definition.fullName}' is also defined in ${existing.file}` });
        continue;
      }
      registry.set(definition.fullName, definition);
    }
    shared.push({ fullName, displayFile: shown });
  }
  // Lint every shared type on its own too, so a type no event uses yet is still checked.
  for (const definition of shared) {
    const def = registry.get(definition.fullName);
    if (def) buildSelfContainedSchema(def.definition, def.file, registry, problems, sensitive);
  }
  return { registry, shared };
}

/** Event-level rules: the envelope comes first and the topic key is a top-level string. */
function checkEventShape(schema: JsonObject, name: EventName, aggregate: Aggregate, file: string, problems: SchemaProblem[]): void {
  const fields = schema['fields'];
  const first = Array.isArray(fields) ? fields[0] : undefined;
  const firstType = isJsonObject(first) ? first['type'] : undefined;
  const firstTypeName = isJsonObject(firstType) ? qualifyName(String(firstType['name']), typeof firstType['namespace'] === 'string' ? firstType['namespace'] : undefined) : firstType;
  if (!isJsonObject(first) || first['name'] !== 'envelope' || firstTypeName !== ENVELOPE_TYPE) {
    problems.push({ file, message: `the first field of every event must be "envelope" of type ${ENVELOPE_TYPE}` });
  }
  const key = TOPICS[aggregate].key;
  const keyField = Array.isArray(fields) ? fields.find((f) => isJsonObject(f) && f['name'] === key) : undefined;
  if (!isJsonObject(keyField) || keyField['type'] !== 'string') {
    problems.push({ file, message: `${name} must have a top-level string field '${key}' (the ${aggregate} topic key)` });
  }
}

function loadEventVersion(
  schemasDir: string,
  aggregate: Aggregate,
  file: string,
  registry: ReadonlyMap<string, NamedDefinition>,
  problems: SchemaProblem[],
  sensitive: SensitiveFieldDeclaration[],
): EventSchemaVersion | undefined {
  const entry = path.basename(file);
  const shown = displayPath(schemasDir, file);
  const match = EVENT_FILE.exec(entry);
  if (!match) {
    problems.push({ file: shown, message: 'event schema files are named <EventName>.v<N>.avsc (N = 1, 2, ...)' });
    return undefined;
  }
  const fileEvent = match[1] ?? '';
  const version = Number(match[2]);
  const read = readJsonFile(file);
  if (!read.ok) {
    problems.push({ file: shown, message: read.message });
    return undefined;
  }
  const json = read.value;
  if (!isJsonObject(json) || json['type'] !== 'record' || typeof json['name'] !== 'string') {
    problems.push({ file: shown, message: 'an event schema must be an Avro record with a "name"' });
    return undefined;
  }
  const namespace = AGGREGATE_NAMESPACE[aggregate];
  const fullName = qualifyName(json['name'], typeof json['namespace'] === 'string' ? json['namespace'] : undefined);
  let ok = true;
  if (fullName !== `${namespace}.${fileEvent}`) {
    problems.push({ file: shown, message: `record is '${fullName}' but the file ${entry} in events/${aggregate}/ must define '${namespace}.${fileEvent}'` });
    ok = false;
  }
  const eventName = EVENT_NAMES.find((e) => e === fileEvent);
  if (!eventName) {
    problems.push({ file: shown, message: `'${fileEvent}' is not an event of the topic catalog (EVENT_NAMES in libs/contracts/src/topics/topic-catalog.ts)` });
    return undefined;
  }
  if (!TOPICS[aggregate].events.includes(eventName)) {
    problems.push({ file: shown, message: `${eventName} belongs on another topic than '${TOPICS[aggregate].name}'; move the file to its aggregate's folder` });
    ok = false;
  }
  const declared = json[COMPATIBILITY_ATTRIBUTE];
  if (declared !== undefined && !isCompatibilityMode(declared)) {
    problems.push({ file: shown, message: `"${COMPATIBILITY_ATTRIBUTE}": ${JSON.stringify(declared)} is not one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE` });
    ok = false;
  }
  const before = problems.length;
  const schema = buildSelfContainedSchema(json, shown, registry, problems, sensitive);
  if (!isJsonObject(schema)) return undefined;
  checkEventShape(schema, eventName, aggregate, shown, problems);
  if (!ok || problems.length > before) return undefined;
  try {
    avro.Type.forSchema(schema as avro.Schema, avscOptions());
  } catch (err) {
    problems.push({ file: shown, message: `not valid Avro: ${(err as Error).message}` });
    return undefined;
  }
  return {
    name: eventName,
    fullName,
    aggregate,
    version,
    compatibility: isCompatibilityMode(declared) ? declared : DEFAULT_COMPATIBILITY,
    file,
    displayFile: shown,
    label: `${eventName} v${version} (${shown})`,
    schema,
  };
}

function checkVersionSequence(name: EventName, versions: readonly EventSchemaVersion[], problems: SchemaProblem[]): void {
  versions.forEach((v, index) => {
    if (v.version !== index + 1) {
      const previous = index === 0 ? 'none' : `v${versions[index - 1]?.version}`;
      problems.push({ file: v.displayFile, message: `${name} versions must be consecutive from v1: found v${v.version} after ${previous}; add v${index + 1} or renumber` });
    }
  });
}

/**
 * Loads every contract in `schemasDir`, resolves shared types and checks the catalog is whole:
 * each event of EVENT_NAMES has versions v1..vN. Throws {@link SchemaContractError} listing
 * every problem found (with file and field path).
 */
export function loadSchemaCatalog(schemasDir: string = DEFAULT_SCHEMAS_DIR): SchemaCatalog {
  const problems: SchemaProblem[] = [];
  const dir = path.resolve(schemasDir);
  if (!fs.existsSync(dir)) throw new SchemaContractError([{ file: dir, message: 'schemas directory does not exist' }]);
  const sensitive: SensitiveFieldDeclaration[] = [];
  const { registry, shared } = loadSharedTypes(dir, problems, sensitive);

  const eventsDir = path.join(dir, 'events');
  const aggregates = Object.keys(TOPICS) as Aggregate[];
  for (const entry of listFiles(eventsDir)) {
    if (!(aggregates as string[]).includes(entry)) {
      problems.push({ file: displayPath(dir, path.join(eventsDir, entry)), message: `unknown aggregate folder; expected one of ${aggregates.join(', ')}` });
    }
  }
  const loaded: EventSchemaVersion[] = [];
  for (const aggregate of aggregates) {
    const aggregateDir = path.join(eventsDir, aggregate);
    for (const entry of listFiles(aggregateDir)) {
      const version = loadEventVersion(dir, aggregate, path.join(aggregateDir, entry), registry, problems, sensitive);
      if (version) loaded.push(version);
    }
  }

  const byEvent = new Map<EventName, EventSchemaVersion[]>();
  for (const name of EVENT_NAMES) {
    const versions = loaded.filter((v) => v.name === name).sort((a, b) => a.version - b.version);
    byEvent.set(name, versions);
    const unparsable = problems.some((p) => p.file.includes(`/${name}.v`));
    if (versions.length === 0 && !unparsable) {
      problems.push({ file: displayPath(dir, path.join(eventsDir, topicForEvent(name).aggregate, `${name}.v1.avsc`)), message: `event ${name} is in EVENT_NAMES but has no schema` });
    }
    if (!unparsable) checkVersionSequence(name, versions, problems);
  }

  // The rules are checked against schemas that load; broken schemas are reported first.
  const businessRules = problems.length === 0 ? loadBusinessRules(dir, byEvent, problems) : NO_BUSINESS_RULES;
  if (problems.length > 0) {
    const unique = new Map(problems.map((p) => [formatProblem(p), p]));
    throw new SchemaContractError([...unique.values()]);
  }
  // A shared type is walked once on its own and again in every event that uses it.
  const sensitiveFields = [...new Map(sensitive.map((d) => [`${d.record}.${d.field}`, d])).values()];
  return createCatalog(dir, shared, byEvent, sensitiveFields, businessRules);
}

/** The rules of `schemas/business-rules.json` (none when the file does not exist). */
function loadBusinessRules(dir: string, byEvent: ReadonlyMap<EventName, EventSchemaVersion[]>, problems: SchemaProblem[]): BusinessRuleSet {
  const file = path.join(dir, BUSINESS_RULES_FILE);
  const shown = displayPath(dir, file);
  if (!fs.existsSync(file)) return NO_BUSINESS_RULES;
  const read = readJsonFile(file);
  if (!read.ok) {
    problems.push({ file: shown, message: read.message });
    return NO_BUSINESS_RULES;
  }
  const latest = new Map([...byEvent].flatMap(([name, versions]) => (versions.length > 0 ? [[name, versions[versions.length - 1]!.schema] as const] : [])));
  return buildBusinessRuleSet(read.value, latest, shown, problems);
}

function createCatalog(
  schemasDir: string,
  sharedTypes: SharedTypeDefinition[],
  byEvent: ReadonlyMap<EventName, EventSchemaVersion[]>,
  sensitiveFields: readonly SensitiveFieldDeclaration[],
  businessRules: BusinessRuleSet,
): SchemaCatalog {
  const versionsOf = (name: EventName): readonly EventSchemaVersion[] => byEvent.get(name) ?? [];
  const latest = (name: EventName): EventSchemaVersion => {
    const versions = versionsOf(name);
    const last = versions[versions.length - 1];
    if (!last) throw new Error(`no schema for event ${name}`);
    return last;
  };
  return {
    schemasDir,
    sharedTypes,
    versions: EVENT_NAMES.flatMap((name) => versionsOf(name)),
    sensitiveFields,
    businessRules,
    schemaVersions: versionsOf,
    latest,
    // The schema is plain JSON that avsc has already accepted, hence the cast to avsc's type.
    latestSchema: (name) => latest(name).schema as avro.Schema,
    schemaFor: (name, version) => versionsOf(name).find((v) => v.version === version),
  };
}
