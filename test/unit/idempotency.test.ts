import { deriveId, requestHash } from '../../src/api/shared/idempotency';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deriveId', () => {
  it('is deterministic for the same tenant, scope and key', () => {
    expect(deriveId('demo', 'sales-leads', 'k-1')).toBe(deriveId('demo', 'sales-leads', 'k-1'));
  });

  it('differs when the tenant, the scope or the key differs', () => {
    const base = deriveId('demo', 'sales-leads', 'k-1');
    const others = [deriveId('other', 'sales-leads', 'k-1'), deriveId('demo', 'esim', 'k-1'), deriveId('demo', 'sales-leads', 'k-2')];
    for (const o of others) expect(o).not.toBe(base);
    expect(new Set(others).size).toBe(3);
  });

  it('does not confuse fields whose concatenation is the same', () => {
    expect(deriveId('ab', 'c', 'k')).not.toBe(deriveId('a', 'bc', 'k'));
  });

  it('is formatted as a UUID with version nibble 5 and the RFC 4122 variant', () => {
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      expect(deriveId('demo', 'sales-leads', key)).toMatch(UUID_V5);
    }
  });
});

describe('requestHash', () => {
  it('is a 64-character hex SHA-256', () => {
    expect(requestHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores object key order, also in nested objects', () => {
    expect(requestHash({ a: 1, b: { c: 2, d: [{ e: 3, f: 4 }] } })).toBe(requestHash({ b: { d: [{ f: 4, e: 3 }], c: 2 }, a: 1 }));
  });

  it('depends on array order', () => {
    expect(requestHash({ p: [1, 2] })).not.toBe(requestHash({ p: [2, 1] }));
  });

  it('depends on values', () => {
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: '1' })).not.toBe(requestHash({ a: 1 }));
  });
});
