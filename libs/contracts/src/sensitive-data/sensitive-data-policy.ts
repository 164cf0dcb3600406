/**
 * The one sensitive-data policy: which keys hold bank details and tax identifiers. Log
 * redaction, audit masking, the APIs and `finmesh dlt show` all ask it; each masks in its own
 * style (a log line drops the value, an operator sees the last four characters).
 *
 * Where the list comes from:
 *  - the Avro contracts: fields marked `"finmesh.sensitive": "<kind>"` in `schemas/` (read by the
 *    catalog, stripped from what is registered);
 *  - the platforms' payload names, which no contract describes: {@link PLATFORM_SENSITIVE_NAMES}
 *    (Oracle Fusion, Coupa, the AP capture platform and spellings seen in hand-written payloads);
 *  - endings that name the data whatever precedes them ({@link SENSITIVE_NAME_ENDINGS}), so a
 *    Fusion variant nobody listed yet (`PayeeIBAN`, `PrimaryBankAccountNumber`) is caught too.
 * Keys are compared normalised: case, `_`, `-`, `.` and spaces do not count (`SWIFTCode`,
 * `swift_code` and `swift-code` are one name).
 */
import { localSchemaSource } from '../provisioning/contracts';
import { isJsonObject, qualifyName, type JsonObject, type JsonValue } from '../schema/avro-json';
import type { SchemaCatalog } from '../schema/schema-catalog';
import { EVENT_NAMES, type EventName } from '../topics/topic-catalog';
import { SENSITIVE_KINDS, type SensitiveFieldDeclaration, type SensitiveKind } from './sensitive-kinds';

/** The comparable form of a key: lower case without `_`, `-`, `.` or spaces. */
export function normalizeKey(key: string): string {
  return key.replace(/[\s_.-]/g, '').toLowerCase();
}

/**
 * Names under which platforms send bank details and tax ids (not Avro, so not in `schemas/`).
 * Sources: the adapters' mappers and fixtures (libs/adapters: Fusion suppliers `IBAN`,
 * `AccountNumber`, `SWIFTCode`, `BranchNumber`, `TaxRegistrationNumber`, `TaxpayerId`; Fusion
 * payments `RemitToAccountNumber`, `PayeeBankAccountNumber`, `ExternalBankAccountNumber`,
 * `BankAccountNumber`; AP capture `taxId`, `vatId`) and the spellings the earlier, separate lists
 * of the log, audit and dlt masking knew, so that nothing any of them masked is now let through.
 */
export const PLATFORM_SENSITIVE_NAMES: Readonly<Record<SensitiveKind, readonly string[]>> = {
  'bank-account': [
    'IBAN', 'AccountNumber', 'BankAccountNumber', 'BankAccountNum', 'RemitToAccountNumber', 'PayeeBankAccountNumber',
    'ExternalBankAccountNumber',
  ],
  'bank-code': ['BIC', 'SWIFT', 'SWIFTCode', 'BranchNumber', 'RoutingNumber', 'SortCode'],
  'tax-id': ['taxId', 'vatId', 'vatNumber', 'taxNumber', 'TIN', 'SSN', 'TaxRegistrationNumber', 'TaxpayerId'],
};

/**
 * Keys that hold a whole bank account or tax registration (an object or a list of them) in
 * payloads: log and audit drop them entirely; field-wise masking looks inside. The contracts'
 * own holders (`bankAccounts`, `taxIds`) come from the catalog.
 */
export const PLATFORM_SENSITIVE_HOLDERS: readonly string[] = ['bankAccount', 'bankAccounts', 'bankDetails', 'taxIds', 'taxRegistration', 'taxRegistrations'];

/**
 * Endings of a normalised key that name the data by themselves. Short names that are also the
 * end of ordinary words (`bic` in "public", `tin` in "posting") are matched only whole, above.
 */
export const SENSITIVE_NAME_ENDINGS: Readonly<Record<SensitiveKind, readonly string[]>> = {
  'bank-account': ['iban', 'accountnumber', 'accountnum'],
  'bank-code': ['swiftcode', 'routingnumber', 'sortcode'],
  // 'taxregistration': Coupa's invoices carry `supplier-tax-registration: { number }`.
  'tax-id': ['taxid', 'vatid', 'vatnumber', 'taxnumber', 'taxregistration', 'taxregistrationnumber', 'taxpayerid'],
};

/**
 * Field names that say nothing by themselves: a declared field with such a name (TaxId's
 * `value`) is sensitive only inside a key that holds its record (`taxIds`), never on its own.
 */
export const GENERIC_FIELD_NAMES: readonly string[] = ['value', 'number', 'code', 'id'];

/** A sensitive field of one event, by path: 'bankAccounts[].iban' ([] = every array element). */
export interface SensitiveFieldPath {
  readonly path: string;
  readonly kind: SensitiveKind;
  readonly declaration: SensitiveFieldDeclaration;
}

export interface SensitiveDataPolicy {
  /** Every field the contracts declare sensitive. */
  readonly declaredFields: readonly SensitiveFieldDeclaration[];
  /** What a key holds by its name alone (`iban`, `RemitToAccountNumber`, `vat_number`); undefined otherwise. */
  kindOfKey(key: string): SensitiveKind | undefined;
  /**
   * For a key that holds records with sensitive members (`bankAccounts`, `taxIds`): those members,
   * by normalised name. Undefined for any other key.
   */
  membersOf(key: string): ReadonlyMap<string, SensitiveKind> | undefined;
  /** True when a key's value is, or holds, bank details or tax ids: what logs and audit drop whole. */
  isSensitiveKey(key: string): boolean;
  /** The declared fields of one contract record by field name, e.g. of 'finmesh.common.BankAccount'. */
  fieldsOfRecord(recordFullName: string): ReadonlyMap<string, SensitiveKind>;
  /** Where the sensitive fields are in the newest schema of an event. */
  sensitiveFieldPaths(event: EventName): readonly SensitiveFieldPath[];
}

interface RecordUse {
  /** Full name of the record a field's type holds (through unions, arrays and maps). */
  readonly record: string;
  readonly path: string;
}

/** The record types a field type refers to, by full name (inlined definitions are collected in `definitions`). */
function recordsOf(type: JsonValue | undefined, namespace: string | undefined, definitions: Map<string, JsonObject>, suffix = ''): { record: string; suffix: string }[] {
  if (typeof type === 'string') return definitions.has(qualifyName(type, namespace)) ? [{ record: qualifyName(type, namespace), suffix }] : [];
  if (Array.isArray(type)) return type.flatMap((branch) => recordsOf(branch, namespace, definitions, suffix));
  if (!isJsonObject(type)) return [];
  const kind = type['type'];
  if (kind === 'array') return recordsOf(type['items'], namespace, definitions, `${suffix}[]`);
  if (kind === 'map') return recordsOf(type['values'], namespace, definitions, `${suffix}{}`);
  if ((kind === 'record' || kind === 'error') && typeof type['name'] === 'string') {
    const fullName = qualifyName(type['name'], typeof type['namespace'] === 'string' ? type['namespace'] : namespace);
    definitions.set(fullName, type);
    return [{ record: fullName, suffix }];
  }
  if (isJsonObject(kind) || Array.isArray(kind)) return recordsOf(kind, namespace, definitions, suffix);
  return [];
}

/** Every field of a self-contained schema that holds a record, with the path where it does. */
function recordUses(schema: JsonObject): { uses: RecordUse[]; holders: Map<string, Set<string>> } {
  const uses: RecordUse[] = [];
  const holders = new Map<string, Set<string>>();
  const definitions = new Map<string, JsonObject>();
  const walk = (record: JsonObject, recordName: string, at: string, seen: Set<string>): void => {
    const namespace = recordName.includes('.') ? recordName.slice(0, recordName.lastIndexOf('.')) : undefined;
    const fields = Array.isArray(record['fields']) ? record['fields'] : [];
    for (const field of fields) {
      if (!isJsonObject(field) || typeof field['name'] !== 'string') continue;
      for (const { record: held, suffix } of recordsOf(field['type'], namespace, definitions)) {
        const path = `${at}${at ? '.' : ''}${field['name']}${suffix}`;
        uses.push({ record: held, path });
        holders.set(held, (holders.get(held) ?? new Set()).add(normalizeKey(field['name'])));
        const definition = definitions.get(held);
        if (definition && !seen.has(held)) walk(definition, held, path, new Set([...seen, held]));
      }
    }
  };
  const rootName = qualifyName(String(schema['name']), typeof schema['namespace'] === 'string' ? schema['namespace'] : undefined);
  definitions.set(rootName, schema);
  uses.push({ record: rootName, path: '' });
  walk(schema, rootName, '', new Set([rootName]));
  return { uses, holders };
}

function endingKind(normalized: string): SensitiveKind | undefined {
  for (const [kind, endings] of Object.entries(SENSITIVE_NAME_ENDINGS) as [SensitiveKind, readonly string[]][]) {
    if (endings.some((ending) => normalized.endsWith(ending))) return kind;
  }
  return undefined;
}

/** Builds the policy from a contract catalog (the local `schemas/` by default, see {@link sensitiveDataPolicy}). */
export function createSensitiveDataPolicy(catalog: SchemaCatalog): SensitiveDataPolicy {
  const generic = new Set(GENERIC_FIELD_NAMES.map(normalizeKey));
  const keyKinds = new Map<string, SensitiveKind>();
  for (const [kind, names] of Object.entries(PLATFORM_SENSITIVE_NAMES) as [SensitiveKind, readonly string[]][]) {
    for (const name of names) keyKinds.set(normalizeKey(name), kind);
  }
  const byRecord = new Map<string, Map<string, SensitiveKind>>();
  for (const d of catalog.sensitiveFields) {
    byRecord.set(d.record, (byRecord.get(d.record) ?? new Map()).set(d.field, d.kind));
    if (!generic.has(normalizeKey(d.field))) keyKinds.set(normalizeKey(d.field), d.kind);
  }

  // Holders: the contract fields whose type is a record with declared members, plus the platforms'.
  const members = new Map<string, Map<string, SensitiveKind>>();
  const addMembers = (holder: string, fields: ReadonlyMap<string, SensitiveKind>): void => {
    const into = members.get(holder) ?? new Map<string, SensitiveKind>();
    for (const [field, kind] of fields) into.set(normalizeKey(field), kind);
    members.set(holder, into);
  };
  const allDeclared = new Map<string, SensitiveKind>();
  for (const d of catalog.sensitiveFields) allDeclared.set(d.field, d.kind);
  for (const holder of PLATFORM_SENSITIVE_HOLDERS) addMembers(normalizeKey(holder), allDeclared);
  const pathsByEvent = new Map<EventName, SensitiveFieldPath[]>();
  for (const event of EVENT_NAMES) {
    const schema = catalog.latest(event).schema;
    const { uses, holders } = recordUses(schema);
    for (const [record, names] of holders) {
      const fields = byRecord.get(record);
      if (fields) for (const name of names) addMembers(name, fields);
    }
    const paths: SensitiveFieldPath[] = [];
    for (const use of uses) {
      for (const d of catalog.sensitiveFields.filter((f) => f.record === use.record)) {
        paths.push({ path: use.path ? `${use.path}.${d.field}` : d.field, kind: d.kind, declaration: d });
      }
    }
    pathsByEvent.set(event, paths);
  }
  // A key that names a tax id or bank account but holds a record ({ scheme, value }) holds it in a generic member.
  const genericMembers = new Map<SensitiveKind, ReadonlyMap<string, SensitiveKind>>(SENSITIVE_KINDS.map((kind) => [kind, new Map([...generic].map((name) => [name, kind]))]));

  // Each method normalises its key once: redaction asks for every key of every log line.
  const kindOfNormalized = (normalized: string): SensitiveKind | undefined => keyKinds.get(normalized) ?? endingKind(normalized);
  return {
    declaredFields: catalog.sensitiveFields,
    kindOfKey: (key) => kindOfNormalized(normalizeKey(key)),
    membersOf: (key) => {
      const normalized = normalizeKey(key);
      const held = members.get(normalized);
      if (held) return held;
      const kind = kindOfNormalized(normalized);
      return kind ? genericMembers.get(kind) : undefined;
    },
    isSensitiveKey: (key) => {
      const normalized = normalizeKey(key);
      return kindOfNormalized(normalized) !== undefined || members.has(normalized);
    },
    fieldsOfRecord: (record) => byRecord.get(record) ?? new Map(),
    sensitiveFieldPaths: (event) => pathsByEvent.get(event) ?? [],
  };
}

let policy: SensitiveDataPolicy | undefined;

/** The policy of this build's contracts (`schemas/`), built once per process. */
export function sensitiveDataPolicy(): SensitiveDataPolicy {
  policy ??= createSensitiveDataPolicy(localSchemaSource());
  return policy;
}

/**
 * A copy of `value` in which every sensitive leaf (a key the policy names, or a sensitive member
 * of a holder such as `taxIds[].value`) is replaced by `maskLeaf(text, kind)`, at any depth.
 * Strings and numbers are masked; a list under a sensitive key has each of its values masked;
 * everything else is copied. Dates and Buffers are kept, cycles are cut. The masking style is the
 * caller's: dlt show keeps the last four characters, an API may keep a BIC's bank code.
 */
export function maskSensitiveData(value: unknown, maskLeaf: (text: string, kind: SensitiveKind) => string, rules: SensitiveDataPolicy = sensitiveDataPolicy()): unknown {
  const maskAll = (v: unknown, kind: SensitiveKind): unknown => {
    if (typeof v === 'string') return maskLeaf(v, kind);
    if (typeof v === 'number' || typeof v === 'bigint') return maskLeaf(String(v), kind);
    if (Array.isArray(v)) return v.map((item) => maskAll(item, kind));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, maskAll(item, kind)]));
    return v;
  };
  const walk = (v: unknown, inside: ReadonlyMap<string, SensitiveKind> | undefined, seen: WeakSet<object>): unknown => {
    if (!isPlainObject(v) && !Array.isArray(v)) return v;
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, inside, seen));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      const kind = rules.kindOfKey(k) ?? inside?.get(normalizeKey(k));
      if (kind !== undefined && !isPlainObject(item)) out[k] = maskAll(item, kind);
      else out[k] = walk(item, rules.membersOf(k), seen);
    }
    return out;
  };
  return walk(value, undefined, new WeakSet());
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}
