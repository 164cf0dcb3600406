import { deterministicEventId, newEnvelope } from './new-envelope';

const legalEntity = { code: 'DE01', country: 'DE', name: null };

describe('deterministicEventId', () => {
  it('gives the same RFC 9562 version-5 UUID for the same parts, and different ones otherwise', () => {
    const a = deterministicEventId('fusion', 'payablesPayments', '300100', '2026-12-01T10:00:00.000+00:00', 'PaymentReleased');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('fusion', 'payablesPayments', '300100', '2026-12-01T10:00:00.000+00:00', 'PaymentReleased')).toBe(a);
    expect(deterministicEventId('fusion', 'payablesPayments', '300100', '2026-12-01T10:00:01.000+00:00', 'PaymentReleased')).not.toBe(a);
    // Parts are delimited unambiguously: ('ab','c') is not ('a','bc').
    expect(deterministicEventId('ab', 'c')).not.toBe(deterministicEventId('a', 'bc'));
    expect(() => deterministicEventId('fusion', '')).toThrow(/non-empty/);
  });

  it('is what newEnvelope uses when given, with the source time instead of now', () => {
    const eventId = deterministicEventId('coupa', 'purchase_orders', '42', '7');
    const occurredAt = new Date('2026-12-01T09:00:00Z');
    const envelope = newEnvelope('PurchaseOrderIssued', { sourcePlatform: 'PROCUREMENT', legalEntity, eventId, occurredAt });
    expect(envelope).toMatchObject({ eventId, correlationId: eventId, occurredAt });
    expect(newEnvelope('PurchaseOrderIssued', { sourcePlatform: 'PROCUREMENT', legalEntity }).eventId).not.toBe(eventId);
  });
});
