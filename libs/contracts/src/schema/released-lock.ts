import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as avro from 'avsc';
import { EVENT_NAMES, topicForEvent, type EventName } from '../topics/topic-catalog';
import { isJsonObject, type JsonObject, type JsonValue } from './avro-json';
import { readJsonFile } from './json-file';
import type { EventSchemaVersion, SchemaCatalog } from './schema-catalog';
import type { SchemaProblem } from './schema-errors';

/**
 * `schemas/released.lock.json`: the append-only record of released contract versions,
 * `{ "<EventName>": { "<version>": "<fingerprint>" } }`.
 *
 * A released version is immutable: producers write it and the registry holds it under its
 * version number. Shared types in `schemas/common/` are not versioned, so an edit there changes
 * the self-contained schema of every version that uses them; the version-vs-version
 * compatibility check cannot see that (both sides resolve to the edited type). The lock can.
 */
export const RELEASED_LOCK_FILE = 'released.lock.json';
export const LOCK_COMMAND = 'npm run schemas:lock';

/** Event name -> version number (as a string key) -> fingerprint (64 hex digits). */
export type ReleasedLock = Readonly<Record<string, Readonly<Record<string, string>>>>;

const FINGERPRINT = /^[0-9a-f]{64}$/;
const VERSION_KEY = /^[1-9][0-9]*$/;
/** Attributes of a logical type that change what the bytes mean. */
const LOGICAL_ATTRIBUTES = ['logicalType', 'precision', 'scale'] as const;

export function releasedLockPath(schemasDir: string): string {
  return path.join(schemasDir, RELEASED_LOCK_FILE);
}

/**
 * Logical-type annotations of a schema, each with the path where it is written
 * ('.envelope.occurredAt', '.lines[].amount|1', ...). Parsing Canonical Form drops them, yet
 * `decimal` scale 4 -> 2 or `timestamp-millis` -> `timestamp-micros` changes what the bytes mean.
 */
function logicalAnnotations(node: JsonValue, at: string, out: JsonValue[]): void {
  if (Array.isArray(node)) {
    node.forEach((branch, i) => logicalAnnotations(branch, `${at}|${i}`, out));
    return;
  }
  if (!isJsonObject(node)) return;
  if (node['logicalType'] !== undefined) {
    out.push([at, ...LOGICAL_ATTRIBUTES.map((key) => node[key] ?? null)]);
  }
  const type = node['type'];
  if ((type === 'record' || type === 'error') && Array.isArray(node['fields'])) {
    for (const field of node['fields']) {
      if (isJsonObject(field)) logicalAnnotations(field['type'] ?? null, `${at}.${String(field['name'])}`, out);
    }
  } else if (type === 'array') {
    logicalAnnotations(node['items'] ?? null, `${at}[]`, out);
  } else if (type === 'map') {
    logicalAnnotations(node['values'] ?? null, `${at}{}`, out);
  } else if (isJsonObject(type) || Array.isArray(type)) {
    logicalAnnotations(type, at, out);
  }
}

/**
 * Fingerprint of a released version: SHA-256 of the Avro Parsing Canonical Form of the
 * self-contained schema (as avsc computes it), extended with the logical-type annotations
 * (logicalType, precision, scale) that PCF drops. Like PCF it ignores docs, defaults, aliases
 * and field order attributes, so documentation edits stay allowed.
 */
export function releasedFingerprint(schema: JsonObject): string {
  const pcf = JSON.stringify(avro.Type.forSchema(schema as avro.Schema, { wrapUnions: false }).schema());
  const annotations: JsonValue[] = [];
  logicalAnnotations(schema, '', annotations);
  return createHash('sha256').update(pcf).update('\n').update(JSON.stringify(annotations)).digest('hex');
}

/** Deterministic text of a lock: events sorted by name, versions ascending, 2-space JSON, final newline. */
export function formatReleasedLock(lock: ReleasedLock): string {
  const sorted: Record<string, Record<string, string>> = {};
  for (const event of Object.keys(lock).sort()) {
    const versions = lock[event] ?? {};
    sorted[event] = {};
    for (const version of Object.keys(versions).sort((a, b) => Number(a) - Number(b))) {
      sorted[event][version] = versions[version] ?? '';
    }
  }
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

export type ReleasedLockRead = { ok: true; lock: ReleasedLock; exists: boolean } | { ok: false; problem: SchemaProblem };

/** Reads and validates the lock. A missing file is an empty lock (nothing released yet). */
export function readReleasedLock(schemasDir: string): ReleasedLockRead {
  const file = releasedLockPath(schemasDir);
  const shown = `schemas/${RELEASED_LOCK_FILE}`;
  if (!fs.existsSync(file)) return { ok: true, lock: {}, exists: false };
  const read = readJsonFile(file);
  if (!read.ok) return { ok: false, problem: { file: shown, message: read.message } };
  const json = read.value;
  const invalid = (message: string): ReleasedLockRead => ({
    ok: false,
    problem: { file: shown, message: `${message}; the lock is { "<EventName>": { "<version>": "<sha-256 hex>" } }, written by ${LOCK_COMMAND}` },
  });
  if (!isJsonObject(json)) return invalid('not a JSON object');
  const lock: Record<string, Record<string, string>> = {};
  for (const [event, versions] of Object.entries(json)) {
    if (!isJsonObject(versions)) return invalid(`entry '${event}' is not an object`);
    lock[event] = {};
    for (const [version, fingerprint] of Object.entries(versions)) {
      if (!VERSION_KEY.test(version)) return invalid(`'${event}' has version key '${version}', not a positive integer`);
      if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) return invalid(`'${event}' v${version} has no valid fingerprint`);
      lock[event][version] = fingerprint;
    }
  }
  return { ok: true, lock, exists: true };
}

export function writeReleasedLock(schemasDir: string, lock: ReleasedLock): void {
  fs.writeFileSync(releasedLockPath(schemasDir), formatReleasedLock(lock));
}

function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}

function versionFile(event: EventName, version: string): string {
  return `schemas/events/${topicForEvent(event).aggregate}/${event}.v${version}.avsc`;
}

/**
 * Released versions whose file is gone (or whose event left the catalog). Works on the file
 * system alone, so it is reported even when the contracts do not load.
 */
export function removedReleasedVersions(schemasDir: string, lock: ReleasedLock): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const [event, versions] of Object.entries(lock)) {
    if (!isEventName(event)) {
      problems.push({
        file: `schemas/${RELEASED_LOCK_FILE}`,
        message: `${event} was released (versions ${Object.keys(versions).map((v) => `v${v}`).join(', ')}) but is no longer in EVENT_NAMES; released contracts cannot be removed`,
      });
      continue;
    }
    for (const version of Object.keys(versions)) {
      const shown = versionFile(event, version);
      const file = path.join(schemasDir, ...shown.split('/').slice(1));
      if (!fs.existsSync(file)) {
        problems.push({
          file: shown,
          message: `${event} v${version} is released (in schemas/${RELEASED_LOCK_FILE}) but its file was deleted; released versions cannot be removed, restore the file`,
        });
      }
    }
  }
  return problems;
}

function changedMessage(v: EventSchemaVersion): string {
  return (
    `released version changed: ${v.name} v${v.version} no longer matches its fingerprint in schemas/${RELEASED_LOCK_FILE}. ` +
    `Likely cause: an edit to a shared type in schemas/common/ that ${v.name} uses, or to ${v.displayFile} itself. ` +
    `A released version is immutable (producers and the registry already use it): revert the edit and put the change ` +
    `in a new version file (${v.name}.v${v.version + 1}.avsc or later), with new shared types if needed. Doc-only edits do not count.`
  );
}

/** Every way the catalog departs from the lock: released versions changed or removed, versions not released yet. */
export function releasedLockProblems(schemasDir: string, lock: ReleasedLock, catalog: SchemaCatalog): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const v of catalog.versions) {
    const locked = lock[v.name]?.[String(v.version)];
    if (locked === undefined) {
      problems.push({ file: v.displayFile, message: `${v.name} v${v.version} is not in schemas/${RELEASED_LOCK_FILE}: run ${LOCK_COMMAND} to release it` });
    } else if (locked !== releasedFingerprint(v.schema)) {
      problems.push({ file: v.displayFile, message: changedMessage(v) });
    }
  }
  return [...problems, ...removedReleasedVersions(schemasDir, lock)];
}

export interface ReleasedLockUpdate {
  /** The lock with the new versions added (the input lock when there are conflicts). */
  readonly lock: ReleasedLock;
  /** Versions added, e.g. 'InvoiceReceived v2'. */
  readonly added: readonly string[];
  /** Released versions whose fingerprint differs now: the update must be refused. */
  readonly conflicts: readonly SchemaProblem[];
}

/**
 * Adds the versions of the catalog that are not in the lock. Never changes nor removes an
 * existing entry: when a released version changed, nothing is added and the conflicts say why.
 */
export function addReleasedVersions(lock: ReleasedLock, catalog: SchemaCatalog): ReleasedLockUpdate {
  const next: Record<string, Record<string, string>> = {};
  for (const [event, versions] of Object.entries(lock)) next[event] = { ...versions };
  const added: string[] = [];
  const conflicts: SchemaProblem[] = [];
  for (const v of catalog.versions) {
    const fingerprint = releasedFingerprint(v.schema);
    const entries = (next[v.name] ??= {});
    const locked = entries[String(v.version)];
    if (locked === undefined) {
      entries[String(v.version)] = fingerprint;
      added.push(`${v.name} v${v.version}`);
    } else if (locked !== fingerprint) {
      conflicts.push({ file: v.displayFile, message: changedMessage(v) });
    }
  }
  if (conflicts.length > 0) return { lock, added: [], conflicts };
  return { lock: next, added, conflicts };
}
