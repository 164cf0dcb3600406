import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isJsonObject, type JsonValue } from '../schema/avro-json';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog } from '../schema/schema-catalog';
import { SchemaContractError } from '../schema/schema-errors';
import { EVENT_NAMES } from '../topics/topic-catalog';
import { createSensitiveDataPolicy, maskSensitiveData, normalizeKey } from './sensitive-data-policy';
import { SENSITIVE_ATTRIBUTE } from './sensitive-kinds';

const catalog = loadSchemaCatalog();
const policy = createSensitiveDataPolicy(catalog);

/** Every field name of every version of every event (shared types included, as they are inlined). */
function allFieldNames(): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  const walk = (node: JsonValue | undefined, record: string): void => {
    if (Array.isArray(node)) return node.forEach((branch) => walk(branch, record));
    if (!isJsonObject(node)) return;
    if (Array.isArray(node['fields'])) {
      const name = String(node['name']);
      for (const field of node['fields']) {
        if (!isJsonObject(field)) continue;
        byName.set(String(field['name']), (byName.get(String(field['name'])) ?? new Set()).add(name));
        walk(field['type'], name);
      }
    }
    walk(node['type'] as JsonValue | undefined, record);
    walk(node['items'] as JsonValue | undefined, record);
    walk(node['values'] as JsonValue | undefined, record);
  };
  for (const v of catalog.versions) walk(v.schema, v.name);
  return byName;
}

/** Names that look like bank details or tax ids to a reader of the contracts. */
const LOOKS_SENSITIVE = /iban|bic|swift|account.?(number|num|no)|bank.?account|routing|sort.?code|tax.?(id|number|registration)|vat|taxpayer|tin$|ssn|^value$/i;
/** Fields that match LOOKS_SENSITIVE but need no mark of their own, each with the reason. */
const NOT_SENSITIVE: Readonly<Record<string, string>> = {
  payeeBankAccountRef: 'the masked reference (BankAccount.maskedReference), never the account number',
  bankAccounts: 'a holder of BankAccount records, whose sensitive fields are declared (the policy knows it as a holder)',
  taxIds: 'a holder of TaxId records, whose value is declared (the policy knows it as a holder)',
};

describe('the sensitive-data policy against the contract catalog', () => {
  it('reads the declarations from "finmesh.sensitive" on the fields of schemas/common', () => {
    expect(policy.declaredFields.map((d) => `${d.record}.${d.field}: ${d.kind}`).sort()).toEqual([
      'finmesh.common.BankAccount.accountNumber: bank-account',
      'finmesh.common.BankAccount.bic: bank-code',
      'finmesh.common.BankAccount.iban: bank-account',
      'finmesh.common.BankAccount.routingNumber: bank-code',
      'finmesh.common.TaxId.value: tax-id',
    ]);
  });

  it('never sends the mark to the registry: the registered (self-contained) schemas do not contain it', () => {
    for (const v of catalog.versions) expect(JSON.stringify(v.schema)).not.toContain(SENSITIVE_ATTRIBUTE);
  });

  it('every declared field exists in an event, found by path', () => {
    const paths = EVENT_NAMES.flatMap((event) => policy.sensitiveFieldPaths(event).map((p) => `${event}.${p.path}`));
    expect(paths.sort()).toEqual([
      'SupplierUpserted.bankAccounts[].accountNumber',
      'SupplierUpserted.bankAccounts[].bic',
      'SupplierUpserted.bankAccounts[].iban',
      'SupplierUpserted.bankAccounts[].routingNumber',
      'SupplierUpserted.taxIds[].value',
    ]);
    for (const d of policy.declaredFields) expect(paths.some((p) => p.endsWith(`.${d.field}`))).toBe(true);
  });

  it('every contract field whose name looks sensitive is declared (or explained in NOT_SENSITIVE)', () => {
    const declared = new Set(policy.declaredFields.map((d) => d.field));
    const undeclared = [...allFieldNames().keys()].filter((name) => LOOKS_SENSITIVE.test(name) && !declared.has(name) && !(name in NOT_SENSITIVE));
    expect(undeclared).toEqual([]);
  });

  it('every contract field the name rules call sensitive is declared, so names and contracts agree', () => {
    const declared = new Set(policy.declaredFields.map((d) => d.field));
    const namedButUndeclared = [...allFieldNames().keys()].filter((name) => policy.kindOfKey(name) !== undefined && !declared.has(name));
    expect(namedButUndeclared).toEqual([]);
  });
});

describe('key matching', () => {
  it.each([
    ['RemitToAccountNumber', 'bank-account'],
    ['PayeeBankAccountNumber', 'bank-account'],
    ['ExternalBankAccountNumber', 'bank-account'],
    ['BankAccountNum', 'bank-account'],
    ['bank_account_num', 'bank-account'],
    ['IBAN', 'bank-account'],
    ['PayeeIBAN', 'bank-account'],
    ['account-number', 'bank-account'],
    ['SWIFTCode', 'bank-code'],
    ['swift_code', 'bank-code'],
    ['BIC', 'bank-code'],
    ['BranchNumber', 'bank-code'],
    ['routing_number', 'bank-code'],
    ['sortCode', 'bank-code'],
    ['TaxRegistrationNumber', 'tax-id'],
    ['TaxpayerId', 'tax-id'],
    ['vat-number', 'tax-id'],
    ['vatId', 'tax-id'],
    ['tax_id', 'tax-id'],
    ['TIN', 'tax-id'],
  ])('%s holds %s', (key, kind) => {
    expect(policy.kindOfKey(key)).toBe(kind);
    expect(policy.isSensitiveKey(key)).toBe(true);
  });

  it.each(['status', 'amount', 'glAccount', 'payeeBankAccountRef', 'maskedReference', 'bankReference', 'bankCountry', 'taxCode', 'taxLines', 'isPublic', 'posting', 'continent', 'value', 'code', 'holderName', 'AccountName', 'BankAccountId', 'account'])(
    '%s is not sensitive by its name',
    (key) => {
      expect(policy.kindOfKey(key)).toBeUndefined();
      expect(policy.isSensitiveKey(key)).toBe(false);
    },
  );

  it('knows the holders of sensitive records and what inside them is sensitive', () => {
    expect(policy.isSensitiveKey('bankAccounts')).toBe(true);
    expect(policy.isSensitiveKey('tax_ids')).toBe(true);
    expect(policy.isSensitiveKey('bankDetails')).toBe(true);
    expect(policy.membersOf('taxIds')?.get('value')).toBe('tax-id');
    expect(policy.membersOf('bankAccounts')?.get(normalizeKey('routingNumber'))).toBe('bank-code');
    expect(policy.membersOf('lines')).toBeUndefined();
  });

  it('masks leaves, holder members and lists in the caller style, and keeps everything else', () => {
    const masked = maskSensitiveData(
      { supplier: { TaxRegistrationNumber: 'DE129273398', taxIds: [{ scheme: 'VAT', value: 'DE129273398' }], taxId: { value: 'X1' } }, ibans: ['a'], IBAN: ['NL91ABNA0417164300'], value: 'plain', n: 12345678 },
      (text, kind) => `<${kind}:${text.length}>`,
      policy,
    );
    expect(masked).toEqual({
      supplier: { TaxRegistrationNumber: '<tax-id:11>', taxIds: [{ scheme: 'VAT', value: '<tax-id:11>' }], taxId: { value: '<tax-id:2>' } },
      ibans: ['a'],
      IBAN: ['<bank-account:18>'],
      value: 'plain',
      n: 12345678,
    });
  });
});

describe('"finmesh.sensitive" in a schema', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmesh-schemas-'));
    fs.cpSync(DEFAULT_SCHEMAS_DIR, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('must name a known kind', () => {
    const file = path.join(dir, 'common', 'finmesh.common.Address.avsc');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: Record<string, unknown>[] };
    json.fields[0]![SENSITIVE_ATTRIBUTE] = 'secret';
    fs.writeFileSync(file, JSON.stringify(json));
    let problems = '';
    try {
      loadSchemaCatalog(dir);
    } catch (err) {
      if (!(err instanceof SchemaContractError)) throw err;
      problems = err.problems.map((p) => p.message).join('\n');
    }
    expect(problems).toContain('field Address.line1: "finmesh.sensitive": "secret" is not one of bank-account, bank-code, tax-id');
  });

  it('on an event field is declared too, and is found by path', () => {
    const file = path.join(dir, 'events', 'invoice', 'InvoiceReceived.v1.avsc');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: Record<string, unknown>[] };
    json.fields.find((f) => f['name'] === 'documentUri')![SENSITIVE_ATTRIBUTE] = 'tax-id';
    fs.writeFileSync(file, JSON.stringify(json));
    const edited = createSensitiveDataPolicy(loadSchemaCatalog(dir));
    expect(edited.sensitiveFieldPaths('InvoiceReceived').map((p) => p.path)).toEqual(['documentUri']);
    expect(edited.kindOfKey('documentUri')).toBe('tax-id');
  });
});
