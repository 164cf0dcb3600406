import { testEnvironment, uniqueName } from '@finmesh/testing';
import { ContractRejectedError, registerContracts, type ContractVersion } from './contract-registration';
import { RegistryAdmin } from './registry-admin';

/** The registry itself must refuse an incompatible version, whoever registers it. */
describe('contract registration against the real registry', () => {
  const admin = new RegistryAdmin(testEnvironment().registryUrl);
  const topic = uniqueName('finmesh-test.governance');
  const subjectOf = (): string => `${topic}-finmesh.supplier.SupplierBlocked`;

  const v1 = {
    type: 'record',
    name: 'SupplierBlocked',
    namespace: 'finmesh.supplier',
    fields: [
      { name: 'supplierId', type: 'string' },
      { name: 'reason', type: 'string' },
    ],
  };
  const compatibleV2 = { ...v1, fields: [...v1.fields, { name: 'blockedBy', type: ['null', 'string'], default: null }] };
  const incompatibleV3 = { ...v1, fields: [...compatibleV2.fields, { name: 'holdCode', type: 'string' }] };

  const version = (n: number, schema: object): ContractVersion => ({
    event: 'SupplierBlocked',
    version: n,
    compatibility: 'BACKWARD_TRANSITIVE',
    schema,
  });

  afterAll(async () => {
    await admin.deleteSubject(subjectOf());
  });

  it('registers versions in order, idempotently, under the declared compatibility', async () => {
    const first = await registerContracts(admin, [version(1, v1), version(2, compatibleV2)], { subjectOf });
    const again = await registerContracts(admin, [version(1, v1), version(2, compatibleV2)], { subjectOf });
    expect(first[0]?.schemaIds).toHaveLength(2);
    expect(again[0]?.schemaIds).toEqual(first[0]?.schemaIds);
    expect(await admin.listVersions(subjectOf())).toHaveLength(2);
    expect(await admin.getSubjectCompatibility(subjectOf())).toBe('BACKWARD_TRANSITIVE');
  });

  it('is refused by the registry when a new version adds a required field without default', async () => {
    const attempt = registerContracts(admin, [version(1, v1), version(2, compatibleV2), version(3, incompatibleV3)], { subjectOf });
    await expect(attempt).rejects.toBeInstanceOf(ContractRejectedError);
    await expect(attempt).rejects.toThrow(new RegExp(`${subjectOf()} v3`));
    expect(await admin.listVersions(subjectOf())).toHaveLength(2);
  });

  it('is refused even when registered directly, bypassing finmesh tooling', async () => {
    await expect(admin.register(subjectOf(), incompatibleV3)).rejects.toMatchObject({ status: 409 });
  });
});
