/**
 * Request schemas of the Oracle Fusion payloads finmesh takes over HTTP: suppliers (with their
 * addresses, sites and external bank accounts) and Payables payments (with relatedInvoices).
 * Attribute names are the REST resources' as the mappers cite them, with their sources
 * (../erp/fusion-supplier.ts, ../erp/fusion-payment.ts): CamelCase keys, numeric ids, amounts as
 * numbers, flags as booleans (or Y/N).
 *
 * Only the attributes the mappers read are declared; Fusion sends many more, which pass unchecked.
 * What depends on other attributes (the invoicing attributes of the main pay site, a clearing
 * date once a payment is cleared) is the mappers' to require, with the reason.
 */
import { z } from 'zod/v4';
import { CONTRACT_MAX_LENGTH as MAX, bic, countryCode, currencyCode, decimal, flag, iban, isoDate, isoTimestamp, optional, platformId, platformObject, requiredText, text } from './payload-fields';

const address = platformObject({
  AddressName: requiredText(MAX.name),
  AddressLine1: requiredText(MAX.name),
  AddressLine2: optional(text(MAX.name)),
  City: requiredText(MAX.city),
  State: optional(text(MAX.region)),
  PostalCode: optional(text(MAX.postalCode)),
  CountryCode: countryCode,
  AddressPurposeRemitToFlag: optional(flag),
});

const site = platformObject({
  SupplierSiteId: platformId,
  SupplierSite: requiredText(MAX.id),
  ProcurementBU: optional(text(MAX.name)),
  SupplierAddressName: optional(text(MAX.name)),
  SitePurposePayFlag: optional(flag),
  SitePurposePurchasingFlag: optional(flag),
  InactiveDate: optional(isoDate),
  Email: optional(text(MAX.contactEmail)),
  PaymentTerms: optional(text(MAX.code)),
  InvoiceCurrencyCode: optional(currencyCode),
  PaymentCurrencyCode: optional(currencyCode),
  HoldAllNewPurchasingDocumentsFlag: optional(flag),
  PurchasingHoldReason: optional(text(MAX.text)),
  AllNewPurchasingDocumentsHoldBy: optional(text(MAX.id)),
  HoldAllInvoicesFlag: optional(flag),
  InvoiceHoldReason: optional(text(MAX.text)),
  HoldAllPaymentsFlag: optional(flag),
  PaymentHoldReason: optional(text(MAX.text)),
  PaymentHoldBy: optional(text(MAX.id)),
});

/** An IBAN or an account number; blank is "not set" (the mapper needs one of the two). */
const bankAccount = platformObject({
  BankAccountId: platformId,
  AccountNumber: optional(text(MAX.accountNumber)),
  IBAN: optional(z.union([z.string().regex(/^\s*$/), iban], { error: 'is not a valid IBAN (country, length or check digits)' })),
  SWIFTCode: optional(z.union([z.string().regex(/^\s*$/), bic], { error: 'is not a valid BIC (8 or 11 characters: bank, country, location, branch)' })),
  BranchNumber: optional(text(MAX.accountNumber)),
  CountryCode: countryCode,
  CurrencyCode: optional(currencyCode),
  AccountName: optional(text(MAX.name)),
});

/** `POST /v1/erp/suppliers`: a Fusion supplier with `expand=addresses,sites` and its bank accounts. */
export const FUSION_SUPPLIER_SCHEMA = platformObject({
  SupplierId: platformId,
  SupplierNumber: platformId,
  Supplier: requiredText(MAX.name),
  AlternateName: optional(text(MAX.name)),
  TaxpayerCountry: optional(countryCode),
  TaxpayerId: optional(text(MAX.code)),
  TaxRegistrationNumber: optional(text(MAX.code)),
  InactiveDate: optional(isoDate),
  LastUpdateDate: isoTimestamp,
  HoldFlag: optional(flag),
  HoldReason: optional(text(MAX.text)),
  HoldBy: optional(text(MAX.id)),
  HoldAllPaymentsFlag: optional(flag),
  PaymentHoldReason: optional(text(MAX.text)),
  addresses: z.array(address).min(1, { error: 'must contain at least 1 address' }),
  sites: optional(z.array(site)),
  bankAccounts: optional(z.array(bankAccount)),
}).meta({ title: 'Oracle Fusion supplier', description: 'REST API for Oracle Fusion Cloud Procurement, Suppliers (expand=addresses,sites), with the supplier external bank accounts.' });

const relatedInvoice = platformObject({
  InvoiceNumber: platformId,
  InvoiceId: optional(platformId),
  AmountPaid: decimal,
});

/** `POST /v1/erp/payments`: a Fusion Payables payment with its relatedInvoices child. */
export const FUSION_PAYMENT_SCHEMA = platformObject({
  CheckId: platformId,
  PaymentId: optional(platformId),
  PaymentNumber: platformId,
  PaymentStatus: requiredText(MAX.code),
  PaymentAmount: decimal,
  PaymentCurrency: currencyCode,
  PaymentDate: isoDate,
  PaymentMethodCode: requiredText(MAX.code),
  SupplierNumber: platformId,
  PaymentProcessRequest: optional(z.union([text(MAX.id), z.int()])),
  PaymentReference: optional(z.union([text(MAX.id), z.int()])),
  ClearingDate: optional(isoDate),
  ClearingAmount: optional(decimal),
  VoidDate: optional(isoDate),
  VoidAccountingDate: optional(isoDate),
  StopDate: optional(isoDate),
  LastUpdateDate: optional(isoTimestamp),
  RemitToAccountNumber: optional(text(MAX.accountNumber)),
  PayeeBankAccountNumber: optional(text(MAX.accountNumber)),
  ExternalBankAccountNumber: optional(text(MAX.accountNumber)),
  BankAccountNumber: optional(text(MAX.accountNumber)),
  relatedInvoices: z.array(relatedInvoice).min(1, { error: 'must contain at least 1 related invoice' }),
}).meta({ title: 'Oracle Fusion Payables payment', description: 'REST API for Oracle Fusion Cloud Financials, Payables Payments (payablesPayments), with relatedInvoices.' });
