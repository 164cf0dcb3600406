/**
 * Request schemas of the Coupa payloads finmesh takes over HTTP: purchase orders, receiving
 * transactions (procurement) and invoices (AP automation). Field names and kinds are the Coupa
 * Core API's, as the mappers cite them (../procurement/coupa-purchase-order.ts,
 * ../procurement/coupa-receipt.ts, ../ap-automation/captured-invoice.ts): hyphenated keys, ids and
 * versions as numbers, decimals as strings, `{ code }` objects for currencies, units and tax codes.
 *
 * Only the fields the mappers read are declared; Coupa sends many more, which pass unchecked.
 * Fields a mapper needs only in some cases (a quantity on a quantity line, not on an amount line)
 * are optional here and required there, with the reason.
 */
import { z } from 'zod/v4';
import {
  CONTRACT_MAX_LENGTH as MAX,
  codeObject,
  countryCode,
  currencyCode,
  decimal,
  flag,
  isoDate,
  isoTimestamp,
  nonNegativeDecimal,
  optional,
  platformId,
  platformObject,
  requiredText,
  text,
  wholeNumber,
} from './payload-fields';

/** `line-num` and `order-line-num`: Coupa sends a string (string(255)) or an integer. */
const lineNumber = z.union([z.int().positive(), z.string().regex(/^\s*\d+\s*$/)], { error: 'must be a line number: digits only, 1 or more' });

/** A login or name object (`created-by`, `updated-by`). */
const userRef = platformObject({ login: optional(text(MAX.id)) });

/** Chart of accounts: finmesh's legal-entity hint. */
const accountType = platformObject({ name: requiredText(MAX.name) });

/** An account: its segments (which one is the GL account or cost center is configuration) and chart. */
const account = platformObject({
  'account-type': optional(accountType),
  ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`segment-${i + 1}`, optional(text(MAX.id))])),
});

const paymentTerm = platformObject({
  code: requiredText(MAX.code),
  'days-for-net-payment': wholeNumber,
  'days-for-discount-payment': optional(wholeNumber),
  'discount-rate': optional(nonNegativeDecimal),
});

const supplierRef = platformObject({ id: optional(platformId), name: optional(text(MAX.name)), number: platformId });
const currency = codeObject(currencyCode);
const unit = codeObject(requiredText(MAX.unitOfMeasure));
const taxCode = codeObject(optional(text(MAX.code)));
const item = platformObject({ 'item-number': optional(text(MAX.id)) });

const orderLine = platformObject({
  'line-num': lineNumber,
  type: optional(z.enum(['OrderQuantityLine', 'OrderAmountLine'])),
  description: requiredText(MAX.text),
  quantity: optional(decimal),
  price: optional(decimal),
  total: decimal,
  'tax-amount': optional(decimal),
  'tax-code': optional(taxCode),
  uom: optional(unit),
  item: optional(item),
  'source-part-num': optional(text(MAX.id)),
  'need-by-date': optional(isoDate),
  'receipt-required': optional(flag),
  'match-type': optional(text(MAX.code)),
  account,
});

/** `POST /v1/procurement/purchase-orders`: a Coupa purchase order (Purchase Orders API). */
export const COUPA_PURCHASE_ORDER_SCHEMA = platformObject({
  id: optional(platformId),
  'po-number': platformId,
  version: wholeNumber,
  'internal-revision': wholeNumber,
  'change-type': optional(text(MAX.code)),
  status: requiredText(MAX.code),
  'created-at': isoDate,
  'updated-at': isoTimestamp,
  currency,
  supplier: supplierRef,
  'payment-term': optional(paymentTerm),
  'ship-to-address': optional(
    platformObject({
      street1: requiredText(MAX.name),
      street2: optional(text(MAX.name)),
      city: requiredText(MAX.city),
      state: optional(text(MAX.region)),
      'postal-code': optional(text(MAX.postalCode)),
      country: codeObject(countryCode),
    }),
  ),
  'created-by': optional(userRef),
  'updated-by': optional(userRef),
  total: optional(decimal),
  'order-lines': z.array(orderLine).min(1, { error: 'must contain at least 1 order line' }),
}).meta({ title: 'Coupa purchase order', description: 'Coupa Core API, Purchase Orders API (/purchase_orders), JSON.' });

/** One Coupa receiving transaction, as the poll reads them one by one. */
export const COUPA_RECEIVING_TRANSACTION_SCHEMA = platformObject({
  id: platformId,
  type: requiredText(MAX.code),
  status: optional(text(MAX.code)),
  'transaction-date': isoTimestamp,
  quantity: optional(decimal),
  price: optional(decimal),
  total: optional(decimal),
  uom: optional(unit),
  'created-by': optional(userRef),
  account: optional(platformObject({ 'account-type': optional(accountType) })),
  'order-line': platformObject({
    id: optional(platformId),
    'line-num': lineNumber,
    'order-header-number': platformId,
    total: optional(decimal),
    uom: optional(unit),
    supplier: platformObject({ number: platformId }),
    account: optional(platformObject({ 'account-type': optional(accountType) })),
  }),
});

/** `POST /v1/procurement/receipts`: the receiving transactions of one receipt (Receiving Transactions API). */
export const COUPA_RECEIPT_SCHEMA = z
  .array(COUPA_RECEIVING_TRANSACTION_SCHEMA)
  .min(1, { error: 'must contain at least 1 receiving transaction' })
  .meta({ title: 'Coupa receiving transactions', description: 'Coupa Core API, Receiving Transactions API (/receiving_transactions), JSON: the transactions of one receipt.' });

const taxLine = platformObject({
  amount: decimal,
  rate: optional(nonNegativeDecimal),
  code: optional(text(MAX.code)),
  'tax-code': optional(taxCode),
  'taxable-amount': optional(decimal),
});

const invoiceLine = platformObject({
  'line-num': lineNumber,
  type: optional(z.enum(['InvoiceQuantityLine', 'InvoiceAmountLine'])),
  description: requiredText(MAX.text),
  quantity: optional(decimal),
  price: optional(decimal),
  total: decimal,
  uom: optional(unit),
  item: optional(item),
  'source-part-num': optional(text(MAX.id)),
  account: optional(account),
  'tax-code': optional(taxCode),
  'tax-rate': optional(nonNegativeDecimal),
  'tax-amount': optional(decimal),
  'tax-lines': optional(z.array(taxLine)),
  'order-line-id': optional(platformId),
  'order-line-num': optional(lineNumber),
  'po-number': optional(platformId),
  'order-header-num': optional(platformId),
});

/** `POST /v1/ap/invoices`: a Coupa invoice (Invoices API). */
export const COUPA_INVOICE_SCHEMA = platformObject({
  id: platformId,
  'invoice-number': requiredText(40),
  'invoice-date': isoDate,
  'document-type': z.enum(['Invoice', 'Credit Note']),
  status: requiredText(MAX.code),
  'updated-at': isoTimestamp,
  'net-due-date': optional(isoDate),
  currency,
  supplier: supplierRef,
  'account-type': optional(accountType),
  'payment-term': optional(paymentTerm),
  'line-level-taxation': optional(flag),
  'tax-amount': optional(decimal),
  'tax-rate': optional(nonNegativeDecimal),
  'tax-code': optional(z.union([text(MAX.code), taxCode])),
  'gross-total': optional(decimal),
  'total-with-taxes': optional(decimal),
  'shipping-amount': optional(decimal),
  'handling-amount': optional(decimal),
  'misc-amount': optional(decimal),
  'invoice-charges': optional(z.array(platformObject({ type: optional(text(MAX.code)), total: decimal }))),
  'image-scan-url': optional(text(MAX.text)),
  'invoice-lines': z.array(invoiceLine).min(1, { error: 'must contain at least 1 invoice line' }),
}).meta({ title: 'Coupa invoice', description: 'Coupa Core API, Invoices API (/invoices), JSON.' });
