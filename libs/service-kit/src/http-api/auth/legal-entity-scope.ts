import { ForbiddenException } from '@nestjs/common';
import type { Caller } from './jwt-verifier';

/**
 * The legal entities a client may act on, from its token's `legal_entities` claim: company codes,
 * or `["*"]` for every entity (a group-wide service account). A token without the claim may act
 * on none: a platform's reach is granted, never assumed.
 */
export type LegalEntityScope = 'ALL' | readonly string[];

/** The claim's value as a scope; anything but an array of non-empty strings grants nothing. */
export function legalEntityScopeOf(claim: unknown): LegalEntityScope {
  if (!Array.isArray(claim)) return [];
  const codes = claim.filter((c): c is string => typeof c === 'string' && c.trim() !== '').map((c) => c.trim());
  return codes.includes('*') ? 'ALL' : codes;
}

export function mayActOn(scope: LegalEntityScope, legalEntity: string): boolean {
  return scope === 'ALL' || scope.includes(legalEntity);
}

/** Refuses (403, with the reason) a write for a legal entity outside the caller's scope. */
export type LegalEntityCheck = (legalEntity: string, what: string) => void;

/** The check for one caller: `check('DE01', 'invoice INV-1')` throws 403 unless DE01 is in its scope. */
export function legalEntityCheckOf(caller: Caller): LegalEntityCheck {
  return (legalEntity, what) => {
    if (mayActOn(caller.legalEntities, legalEntity)) return;
    const scope = caller.legalEntities === 'ALL' ? 'every legal entity' : caller.legalEntities.length === 0 ? 'no legal entity (its token has no legal_entities claim)' : `legal entities [${caller.legalEntities.join(', ')}]`;
    throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `client '${caller.clientId}' may act on ${scope}; ${what} belongs to legal entity ${legalEntity}` });
  };
}
