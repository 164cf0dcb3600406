/**
 * Building blocks of the platform payload schemas: one zod (v4) validator per kind of field, so
 * every request schema checks a currency, a decimal or an IBAN the same way, and emits the same
 * JSON Schema for it (`z.toJSONSchema`, served in each service's OpenAPI document).
 *
 * What a schema checks here is the payload's shape: types, presence, lengths and formats, every
 * problem at once. The HTTP door checks it before the handler (service-kit's @RequestSchema), and
 * every mapper seeds its problems with it (ProblemCollector.forPayload), so a polled record meets
 * the same schema as a pushed one. The mappers then do what needs the whole document: scales
 * without rounding, sums against printed totals, resolving ids and legal entities.
 *
 * The accepted forms follow the mappers' readers (../mapping/field-reader.ts): ids as strings or
 * JSON integers (Coupa and Fusion send numeric ids), decimals as strings or JSON numbers (Fusion
 * sends amounts as numbers), platforms' null for "not set".
 *
 * Reasons never quote the value (an IBAN or a tax id is named by its path, not shown).
 */
import { z } from 'zod/v4';
import { ibanProblem, isBic, isIso3166Alpha2, isIso4217 } from '@finmesh/contracts';

/**
 * The contract's length bounds (schemas/business-rules.json), applied to the platform fields that
 * become those contract fields; payload-fields.spec.ts checks them against the rules file.
 */
export const CONTRACT_MAX_LENGTH = {
  /** Every id and document number: supplierId, invoiceId, poNumber, supplierInvoiceNumber, ... */
  id: 200,
  /** legalName, tradingName, holderName, address lines. */
  name: 240,
  /** description, reason, comment, documentUri. */
  text: 2000,
  /** taxCode, reasonCode. */
  code: 50,
  unitOfMeasure: 25,
  city: 120,
  region: 120,
  postalCode: 20,
  contactEmail: 254,
  /** accountNumber and routingNumber (an IBAN is at most 34 characters). */
  accountNumber: 34,
} as const;

const DECIMAL_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;
const WHOLE_NUMBER_TEXT = /^\s*[+-]?\d+\s*$/;
const ISO_DATE_OR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A field platforms may leave out or send as null ("not set"). */
export function optional<T extends z.ZodType>(schema: T): z.ZodOptional<z.ZodNullable<T>> {
  return schema.nullable().optional();
}

/** Text of at most `max` characters, blank allowed (the mapper treats blank as not set). */
export function text(max: number): z.ZodString {
  return z.string().max(max, { error: `must be at most ${max} characters long` });
}

/** Text that must say something: not blank, at most `max` characters. */
export function requiredText(max: number): z.ZodString {
  return text(max).regex(/\S/, { error: 'must not be empty' });
}

/** A platform id or document number: a non-blank string, or a JSON integer (numeric ids). */
export const platformId = z.union([requiredText(CONTRACT_MAX_LENGTH.id), z.int().nonnegative()], {
  error: `must be an id: a non-empty string of at most ${CONTRACT_MAX_LENGTH.id} characters, or a whole number`,
});

/** A decimal as text ("1250.50") or a JSON number; scale and precision are the mapper's to check. */
export const decimal = z.union([z.string().regex(DECIMAL_TEXT), z.number()], {
  error: 'must be a decimal number: a string such as "1250.50", or a JSON number',
});

/** A whole number as a JSON integer or a string of digits. */
export const wholeNumber = z.union([z.int(), z.string().regex(WHOLE_NUMBER_TEXT)], { error: 'must be a whole number' });

/** true/false, or the 'Y'/'N' and 'true'/'false' strings some platforms send. */
export const flag = z.union([z.boolean(), z.enum(['Y', 'N', 'true', 'false'])], { error: 'must be true or false' });

/** A calendar date (YYYY-MM-DD); a timestamp is accepted and read as its date part. */
export const isoDate = z.string().regex(ISO_DATE_OR_TIMESTAMP, { error: 'must be an ISO date (YYYY-MM-DD)' }).meta({ format: 'date' });

/** An ISO 8601 timestamp with an explicit offset (a time without zone is ambiguous). */
export const isoTimestamp = z.string().regex(ISO_TIMESTAMP, { error: 'must be an ISO 8601 timestamp with offset' }).meta({ format: 'date-time' });

export const currencyCode = z
  .string()
  .refine((v) => isIso4217(v), { error: 'must be an active ISO 4217 currency code' })
  .meta({ format: 'iso4217', description: 'ISO 4217 alphabetic currency code' });

export const countryCode = z
  .string()
  .refine((v) => isIso3166Alpha2(v), { error: 'must be an ISO 3166-1 alpha-2 country code' })
  .meta({ format: 'iso3166-alpha2', description: 'ISO 3166-1 alpha-2 country code' });

/** An IBAN with a valid check sum; blanks allowed as platforms print them ("DE89 3704 ..."). */
export const iban = z
  .string()
  .refine((v) => ibanProblem(v.replace(/\s+/g, '').toUpperCase()) === undefined, { error: 'is not a valid IBAN (country, length or check digits)' })
  .meta({ format: 'iban' });

export const bic = z
  .string()
  .refine((v) => isBic(v.trim().toUpperCase()), { error: 'is not a valid BIC (8 or 11 characters: bank, country, location, branch)' })
  .meta({ format: 'bic' });

/** A non-negative rate or percentage (tax rate, discount rate). */
export const nonNegativeDecimal = z.union([z.string().regex(/^\s*\+?(\d+(\.\d*)?|\.\d+)\s*$/), z.number().nonnegative()], {
  error: 'must be a non-negative decimal number',
});

/** `{ code }` objects Coupa uses for currencies, units and tax codes. */
export function codeObject(code: z.ZodType): z.ZodObject {
  return z.looseObject({ code });
}

/** A platform object: the fields a mapper reads are declared; others pass (platforms send many). */
export const platformObject = z.looseObject;
