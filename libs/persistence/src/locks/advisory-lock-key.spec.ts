import { createHash } from 'node:crypto';
import { advisoryLockKey } from './advisory-lock-key';

describe('advisoryLockKey', () => {
  it('is the first 8 bytes (signed, big-endian) of SHA-256("finmesh:<namespace>:<name>"), in decimal', () => {
    const expected = createHash('sha256').update('finmesh:po_sync:migrations').digest().readBigInt64BE(0).toString();
    expect(advisoryLockKey('po_sync', 'migrations')).toBe(expected);
    expect(BigInt(expected) >= -(2n ** 63n) && BigInt(expected) < 2n ** 63n).toBe(true);
  });

  it('is stable across calls and separates namespaces and names', () => {
    expect(advisoryLockKey('supplier-sync', 'supplier:1')).toBe(advisoryLockKey('supplier-sync', 'supplier:1'));
    expect(advisoryLockKey('supplier-sync', 'supplier:1')).not.toBe(advisoryLockKey('invoice-sync', 'supplier:1'));
    expect(advisoryLockKey('supplier-sync', 'supplier:1')).not.toBe(advisoryLockKey('supplier-sync', 'supplier:2'));
  });

  it('refuses a namespace that could be confused with a name, and empty parts', () => {
    expect(() => advisoryLockKey('a:b', 'c')).toThrow(/namespace/);
    expect(() => advisoryLockKey('', 'c')).toThrow(/namespace/);
    expect(() => advisoryLockKey('a', '')).toThrow(/name/);
  });
});
