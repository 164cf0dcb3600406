import type { AuditRowContent } from './audit-entry';
import { auditRowHash, auditTimestamp, canonicalJson } from './audit-hash';

const content: AuditRowContent = {
  id: '7',
  recordedAt: '2026-11-26T01:00:00.123Z',
  occurredAt: '2026-11-26T01:00:00.100Z',
  entityType: 'invoice',
  entityId: 'INV-1',
  action: 'invoice.approved',
  actor: 'alice',
  before: { status: 'EXCEPTION', total: { amount: '100.00', currency: 'EUR' } },
  after: { status: 'APPROVED', total: { amount: '100.00', currency: 'EUR' } },
  causingEventId: 'e1',
  correlationId: null,
  service: 'invoice-sync',
  prevHash: 'abc',
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('is independent of key insertion order (jsonb reorders keys)', () => {
    expect(canonicalJson({ x: 'é', a: true })).toBe(canonicalJson({ a: true, x: 'é' }));
  });

  it('drops undefined members and escapes strings like JSON', () => {
    expect(canonicalJson({ a: undefined, b: 'quote " and \n' })).toBe('{"b":"quote \\" and \\n"}');
  });
});

describe('auditRowHash', () => {
  it('is a stable sha256 hex digest', () => {
    expect(auditRowHash(content)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditRowHash({ ...content, after: { total: { currency: 'EUR', amount: '100.00' }, status: 'APPROVED' } })).toBe(auditRowHash(content));
  });

  it('changes when any content field or the previous hash changes', () => {
    const h = auditRowHash(content);
    expect(auditRowHash({ ...content, actor: 'mallory' })).not.toBe(h);
    expect(auditRowHash({ ...content, after: { status: 'APPROVED', total: { amount: '1000.00', currency: 'EUR' } } })).not.toBe(h);
    expect(auditRowHash({ ...content, prevHash: 'abd' })).not.toBe(h);
    expect(auditRowHash({ ...content, id: '8' })).not.toBe(h);
    expect(auditRowHash({ ...content, recordedAt: '2026-11-26T01:00:00.124Z' })).not.toBe(h);
  });
});

describe('auditTimestamp', () => {
  it('renders UTC with milliseconds', () => {
    expect(auditTimestamp(new Date(Date.UTC(2026, 10, 26, 1, 2, 3, 45)))).toBe('2026-11-26T01:02:03.045Z');
  });
});
