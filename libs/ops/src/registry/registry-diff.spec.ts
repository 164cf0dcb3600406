import type { ContractVersion, RegistryAdmin } from '@finmesh/contracts';
import { diffRegistryContracts } from './registry-diff';

const record = (name: string, fields: object[]) => ({ type: 'record', name, namespace: 'finmesh.supplier', fields });
const v1 = record('SupplierBlocked', [{ name: 'supplierId', type: 'string' }]);
const v2 = record('SupplierBlocked', [
  { name: 'supplierId', type: 'string' },
  { name: 'reason', type: ['null', 'string'], default: null },
]);

/** The registry as the diff sees it: versions per subject and the stored schema text. */
function registry(subjects: Record<string, Array<{ id: number; schema: object | string }>>): Pick<RegistryAdmin, 'listVersions' | 'getSchemaVersion'> {
  return {
    listVersions: async (subject) => (subjects[subject] ?? []).map((_, i) => i + 1),
    getSchemaVersion: async (subject, version) => {
      const v = subjects[subject]![version - 1]!;
      return { id: v.id, schema: typeof v.schema === 'string' ? v.schema : JSON.stringify(v.schema) };
    },
  };
}

const contracts: ContractVersion[] = [
  { event: 'SupplierBlocked', version: 1, compatibility: 'FULL_TRANSITIVE', schema: v1 },
  { event: 'SupplierBlocked', version: 2, compatibility: 'FULL_TRANSITIVE', schema: v2 },
  { event: 'SupplierUnblocked', version: 1, compatibility: 'FULL_TRANSITIVE', schema: record('SupplierUnblocked', [{ name: 'supplierId', type: 'string' }]) },
];
const subjectOf = (e: string) => `t-${e}`;

describe('diffRegistryContracts', () => {
  it('reports same, missing, different and extra versions per subject', async () => {
    const diff = await diffRegistryContracts(
      registry({
        // v1 stored with a redundant namespace and other key order, as registries rewrite it: same.
        't-SupplierBlocked': [
          { id: 1, schema: { namespace: 'finmesh.supplier', fields: [{ type: 'string', name: 'supplierId' }], name: 'SupplierBlocked', type: 'record' } },
          { id: 2, schema: record('SupplierBlocked', [{ name: 'supplierId', type: 'string' }, { name: 'reason', type: ['null', 'string'], default: null, doc: 'edited' }]) },
          { id: 3, schema: v2 },
        ],
      }),
      contracts,
      subjectOf,
    );
    expect(diff.inSync).toBe(false);
    expect(diff.entries).toEqual([
      { subject: 't-SupplierBlocked', event: 'SupplierBlocked', version: 1, status: 'same', schemaId: 1 },
      { subject: 't-SupplierBlocked', event: 'SupplierBlocked', version: 2, status: 'different', schemaId: 2 },
      { subject: 't-SupplierBlocked', event: 'SupplierBlocked', version: 3, status: 'extra', schemaId: 3 },
      { subject: 't-SupplierUnblocked', event: 'SupplierUnblocked', version: 1, status: 'missing', schemaId: null },
    ]);
  });

  it('is in sync when the registry holds exactly the local versions', async () => {
    const diff = await diffRegistryContracts(
      registry({ 't-SupplierBlocked': [{ id: 1, schema: v1 }, { id: 2, schema: v2 }], 't-SupplierUnblocked': [{ id: 3, schema: contracts[2]!.schema }] }),
      contracts,
      subjectOf,
    );
    expect(diff).toEqual({ inSync: true, entries: expect.arrayContaining([expect.objectContaining({ status: 'same' })]) });
    expect(diff.entries.map((e) => e.status)).toEqual(['same', 'same', 'same']);
  });
});
