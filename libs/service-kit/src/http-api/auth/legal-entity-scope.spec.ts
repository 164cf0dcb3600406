import { ForbiddenException } from '@nestjs/common';
import { legalEntityCheckOf, legalEntityScopeOf, mayActOn } from './legal-entity-scope';

describe('legal-entity scope of a token', () => {
  it('reads the legal_entities claim: codes, or "*" for every entity', () => {
    expect(legalEntityScopeOf(['DE01', ' NL01 '])).toEqual(['DE01', 'NL01']);
    expect(legalEntityScopeOf(['*'])).toBe('ALL');
    expect(legalEntityScopeOf(['DE01', '*'])).toBe('ALL');
  });

  it('grants nothing without the claim or with anything but codes', () => {
    expect(legalEntityScopeOf(undefined)).toEqual([]);
    expect(legalEntityScopeOf('DE01')).toEqual([]);
    expect(legalEntityScopeOf([1, '', null])).toEqual([]);
  });

  it('lets a client act on its entities only', () => {
    expect(mayActOn(['DE01'], 'DE01')).toBe(true);
    expect(mayActOn(['DE01'], 'NL01')).toBe(false);
    expect(mayActOn('ALL', 'US01')).toBe(true);
    expect(mayActOn([], 'DE01')).toBe(false);
  });

  it('refuses a write for another entity with 403 naming the client, its scope and the entity', () => {
    const check = legalEntityCheckOf({ clientId: 'coupa-nl', roles: ['ap-platform'], legalEntities: ['NL01'] });
    expect(() => check('NL01', 'invoice INV-1')).not.toThrow();
    let refused: unknown;
    try {
      check('DE01', 'invoice INV-2');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ForbiddenException);
    expect((refused as ForbiddenException).getResponse()).toMatchObject({ message: "client 'coupa-nl' may act on legal entities [NL01]; invoice INV-2 belongs to legal entity DE01" });
    expect(() => legalEntityCheckOf({ clientId: 'old', roles: [], legalEntities: [] })('DE01', 'supplier 7')).toThrow(ForbiddenException);
  });
});
