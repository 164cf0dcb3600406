import { canonicalJson, contentHash } from './canonical-content';

describe('canonical content', () => {
  it('sorts keys at every depth and drops undefined, so key order never changes the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null, u: undefined } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(contentHash({ x: 1, y: 'a' })).toBe(contentHash({ y: 'a', x: 1 }));
  });

  it('writes what a decoded Avro event holds: dates as ISO text, bytes as base64, bigints as digits', () => {
    expect(canonicalJson({ at: new Date('2026-12-01T10:00:00.000Z'), raw: Buffer.from([1, 2]), n: 12345678901234567890n })).toBe(
      '{"at":"2026-12-01T10:00:00.000Z","n":"12345678901234567890","raw":"AQI="}',
    );
    expect(contentHash({ at: new Date(0) })).not.toBe(contentHash({ at: new Date(1) }));
  });
});
