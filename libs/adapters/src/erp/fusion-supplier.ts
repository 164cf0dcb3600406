/**
 * Oracle Fusion supplier -> SupplierUpserted payload, plus the blocks (holds) in force.
 *
 * Shape: Oracle Fusion Cloud Procurement REST, Suppliers (`GET /fscmRestApi/resources/11.13.18.05/
 * suppliers/{SupplierId}?expand=addresses,sites`): `SupplierId`, `Supplier` (name), `SupplierNumber`,
 * `AlternateName`, `TaxOrganizationType`, `TaxpayerCountry`, `TaxpayerId`, `TaxRegistrationNumber`,
 * `InactiveDate`, `LastUpdateDate`; child `addresses` (`SupplierAddressId`, `AddressName`,
 * `AddressLine1`, `AddressLine2`, `City`, `State`, `PostalCode`, `CountryCode`,
 * `AddressPurposeRemitToFlag`); child `sites` (`SupplierSiteId`, `SupplierSite`, `ProcurementBU`,
 * `SupplierAddressName`, `SitePurposePayFlag`, `InactiveDate`, `Email`,
 * `HoldAllNewPurchasingDocumentsFlag`, `PurchasingHoldReason`, `AllNewPurchasingDocumentsHoldBy`,
 * and the invoicing attributes `PaymentTerms`, `InvoiceCurrencyCode`, `PaymentCurrencyCode`,
 * `HoldAllInvoicesFlag`, `InvoiceHoldReason`, `HoldAllPaymentsFlag`, `PaymentHoldReason`,
 * `PaymentHoldBy`).
 *
 * Simplified / decided here (doubtful points are marked):
 *  - Bank accounts are not part of the Suppliers resource; Fusion keeps them in Payments
 *    (External Bank Accounts: `BankAccountId`, `AccountNumber`, `IBAN`, `SWIFTCode`,
 *    `BranchNumber`, `CountryCode`, `CurrencyCode`, `AccountName`). The caller fetches them and
 *    passes them under `bankAccounts` on the supplier object.
 *  - Supplier-level holds: `HoldFlag`/`HoldReason`/`HoldBy` (hold on everything) and
 *    `HoldAllPaymentsFlag`/`PaymentHoldReason`. These follow the supplier table columns
 *    (POZ_SUPPLIERS / AP_SUPPLIERS HOLD_FLAG, HOLD_ALL_PAYMENTS_FLAG); their REST attribute names
 *    were not verified. Site-level invoicing hold names likewise follow the site table columns.
 *  - Status: INACTIVE when `InactiveDate` <= asOf; else BLOCKED when a supplier-level hold is set
 *    or every active pay site is on payment hold (nothing can be paid); else ACTIVE. Holds on some
 *    sites only keep the supplier ACTIVE and are returned as site blocks.
 *  - Registered address: the address of the first active pay site (Fusion has no "registered"
 *    purpose); remit-to: the first address with AddressPurposeRemitToFlag, when different.
 *  - Payment terms, currency and contact e-mail come from that first active pay site; terms are
 *    parsed from the terms name (see parsePaymentTermsName) or a caller-provided lookup.
 *  - Tax ids: `TaxRegistrationNumber` -> VAT (GST in AU/NZ/IN/SG/CA), `TaxpayerId` -> EIN for US,
 *    ABN for AU, TIN elsewhere; country = `TaxpayerCountry`.
 *  - revision = epoch milliseconds of `LastUpdateDate` (Fusion has no record version number, and
 *    the update timestamp increases with every change).
 *  - Legal entity: from the first active pay site's `ProcurementBU` (business-unit hint).
 */
import type { Address, BankAccount, SupplierBlockScope, SupplierStatus, TaxId, TaxIdScheme } from '@finmesh/contracts';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { parsePaymentTermsName, type PaymentTermsLookup } from '../mapping/payment-terms';
import { resolveId, resolveLegalEntity } from '../mapping/resolution';

/** A hold in force on the supplier or one of its sites (the service emits SupplierBlocked/Unblocked from changes). */
export interface FusionSupplierBlock {
  readonly scope: SupplierBlockScope;
  /** Fusion site id for site-level holds; null for supplier-level holds. */
  readonly supplierSiteId: string | null;
  readonly reasonCode: string;
  readonly reason: string | null;
  readonly blockedBy: string;
}

export interface MappedFusionSupplier extends Mapped<'SupplierUpserted'> {
  readonly blocks: readonly FusionSupplierBlock[];
}

export interface FusionSupplierOptions {
  /** Date the status is evaluated at ('YYYY-MM-DD'); default: today (UTC). */
  readonly asOf?: string;
  readonly paymentTerms?: PaymentTermsLookup;
}

const GST_COUNTRIES = new Set(['AU', 'NZ', 'IN', 'SG', 'CA']);

function taxIdScheme(kind: 'registration' | 'taxpayer', country: string): TaxIdScheme {
  if (kind === 'registration') return GST_COUNTRIES.has(country) ? 'GST' : 'VAT';
  if (country === 'US') return 'EIN';
  if (country === 'AU') return 'ABN';
  return 'TIN';
}

function maskedReference(iban: string | null, accountNumber: string | null): string {
  const source = (iban ?? accountNumber ?? '').replace(/\s/g, '');
  return `****${source.slice(-4)}`;
}

function readAddress(a: FieldReader): Address {
  return {
    line1: a.string('AddressLine1') ?? '',
    line2: a.optionalString('AddressLine2') ?? null,
    city: a.string('City') ?? '',
    region: a.optionalString('State') ?? null,
    postalCode: a.optionalString('PostalCode') ?? null,
    country: a.country('CountryCode') ?? '',
  };
}

/** SupplierUpserted payload for a Fusion supplier with its addresses, sites and bank accounts. */
export function mapFusionSupplier(payload: unknown, ctx: MappingContext, options: FusionSupplierOptions = {}): MappedFusionSupplier {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  if (!r) throw new MappingError('Fusion supplier', problems.problems);
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const termsLookup = options.paymentTerms ?? parsePaymentTermsName;

  const fusionId = r.string('SupplierId');
  const supplierNumber = r.string('SupplierNumber');
  const subject = `Fusion supplier ${supplierNumber ?? fusionId ?? '(without SupplierNumber)'}`;
  const supplierId = resolveId(ctx, r, 'SupplierNumber', 'supplier', supplierNumber, 'ERP');
  const legalName = r.string('Supplier');
  const alternateName = r.optionalString('AlternateName');
  const lastUpdate = r.timestamp('LastUpdateDate');
  const inactiveDate = r.optionalDate('InactiveDate');
  const taxCountry = r.has('TaxpayerId') || r.has('TaxRegistrationNumber') ? r.country('TaxpayerCountry') : undefined;

  const taxIds: TaxId[] = [];
  const vat = r.optionalString('TaxRegistrationNumber');
  if (vat && taxCountry) taxIds.push({ scheme: taxIdScheme('registration', taxCountry), value: vat, country: taxCountry });
  const tin = r.optionalString('TaxpayerId');
  if (tin && taxCountry) taxIds.push({ scheme: taxIdScheme('taxpayer', taxCountry), value: tin, country: taxCountry });

  const addresses = r.array('addresses', { minItems: 1 }).map((a) => ({ name: a.string('AddressName'), remitTo: a.boolean('AddressPurposeRemitToFlag', false), reader: a, address: readAddress(a) }));

  const blocks: FusionSupplierBlock[] = [];
  const supplierHeldBy = r.optionalString('HoldBy') ?? 'ERP';
  if (r.boolean('HoldFlag', false)) blocks.push({ scope: 'ALL', supplierSiteId: null, reasonCode: 'SUPPLIER_HOLD', reason: r.optionalString('HoldReason') ?? null, blockedBy: supplierHeldBy });
  if (r.boolean('HoldAllPaymentsFlag', false)) blocks.push({ scope: 'PAYMENT', supplierSiteId: null, reasonCode: 'SUPPLIER_PAYMENT_HOLD', reason: r.optionalString('PaymentHoldReason') ?? null, blockedBy: supplierHeldBy });
  const supplierLevelBlocked = blocks.length > 0;

  const sites = r.array('sites').map((s) => {
    const siteId = s.string('SupplierSiteId') ?? '';
    const siteInactive = s.optionalDate('InactiveDate');
    const active = !(siteInactive && siteInactive <= asOf);
    const pay = s.boolean('SitePurposePayFlag', false) ?? false;
    let paymentHeld = false;
    if (active) {
      if (s.boolean('HoldAllNewPurchasingDocumentsFlag', false)) {
        blocks.push({ scope: 'PURCHASING', supplierSiteId: siteId, reasonCode: 'SITE_PURCHASING_HOLD', reason: s.optionalString('PurchasingHoldReason') ?? null, blockedBy: s.optionalString('AllNewPurchasingDocumentsHoldBy') ?? 'ERP' });
      }
      if (s.boolean('HoldAllInvoicesFlag', false)) {
        blocks.push({ scope: 'POSTING', supplierSiteId: siteId, reasonCode: 'SITE_INVOICE_HOLD', reason: s.optionalString('InvoiceHoldReason') ?? null, blockedBy: 'ERP' });
      }
      if (s.boolean('HoldAllPaymentsFlag', false)) {
        paymentHeld = true;
        blocks.push({ scope: 'PAYMENT', supplierSiteId: siteId, reasonCode: 'SITE_PAYMENT_HOLD', reason: s.optionalString('PaymentHoldReason') ?? null, blockedBy: s.optionalString('PaymentHoldBy') ?? 'ERP' });
      }
    }
    return { reader: s, active, pay, paymentHeld };
  });
  const activePaySites = sites.filter((s) => s.active && s.pay);
  const main = activePaySites[0];
  if (!main) problems.add(r.pathOf('sites'), `has no active pay site (SitePurposePayFlag) as of ${asOf}; finmesh needs one for terms, currency and legal entity`);

  let paymentTerms = undefined as ReturnType<PaymentTermsLookup>;
  let defaultCurrency: string | undefined;
  let registeredAddress: Address | undefined;
  let legalEntity: ReturnType<typeof resolveLegalEntity>;
  if (main) {
    const s = main.reader;
    const termsName = s.string('PaymentTerms');
    paymentTerms = termsName === undefined ? undefined : termsLookup(termsName);
    if (termsName !== undefined && !paymentTerms) s.problem('PaymentTerms', `unknown payment terms ${JSON.stringify(termsName)}; expected e.g. "Net 30" or "2/10 Net 30"`);
    defaultCurrency = s.has('InvoiceCurrencyCode') ? s.currency('InvoiceCurrencyCode') : s.currency('PaymentCurrencyCode');
    const addressName = s.string('SupplierAddressName');
    const siteAddress = addresses.find((a) => a.name === addressName);
    if (addressName !== undefined && !siteAddress) s.problem('SupplierAddressName', `names no entry of addresses[] (${JSON.stringify(addressName)})`);
    registeredAddress = siteAddress?.address;
    const bu = s.string('ProcurementBU');
    legalEntity = resolveLegalEntity(ctx, problems, bu === undefined ? [] : [{ path: s.pathOf('ProcurementBU'), kind: 'business-unit', value: bu }], s.path);
  }
  const remit = addresses.find((a) => a.remitTo);
  const remitToAddress = remit && remit.address !== registeredAddress ? remit.address : null;

  const bankAccounts: BankAccount[] = r.array('bankAccounts').map((b) => {
    const iban = b.optionalString('IBAN')?.replace(/\s/g, '') ?? null;
    const accountNumber = b.optionalString('AccountNumber') ?? null;
    if (!iban && !accountNumber) b.problem('AccountNumber', 'is required when IBAN is not set');
    return {
      accountId: b.string('BankAccountId') ?? '',
      holderName: b.optionalString('AccountName') ?? legalName ?? '',
      iban,
      accountNumber,
      bic: b.optionalString('SWIFTCode') ?? null,
      routingNumber: b.optionalString('BranchNumber') ?? null,
      bankCountry: b.country('CountryCode') ?? '',
      currency: b.has('CurrencyCode') ? (b.currency('CurrencyCode') ?? null) : null,
      maskedReference: maskedReference(iban, accountNumber),
    };
  });

  const contactEmail = main?.reader.optionalString('Email');
  problems.throwIfAny(subject);

  const inactive = inactiveDate !== null && inactiveDate !== undefined && inactiveDate <= asOf;
  const allPaySitesHeld = activePaySites.length > 0 && activePaySites.every((s) => s.paymentHeld);
  const status: SupplierStatus = inactive ? 'INACTIVE' : supplierLevelBlocked || allPaySitesHeld ? 'BLOCKED' : 'ACTIVE';

  return {
    payload: {
      supplierId: supplierId ?? '',
      revision: lastUpdate?.getTime() ?? 0,
      externalIds: { ERP: fusionId ?? '' },
      legalName: legalName ?? '',
      tradingName: alternateName && alternateName !== legalName ? alternateName : null,
      status,
      registeredAddress: registeredAddress as Address,
      remitToAddress,
      taxIds,
      bankAccounts,
      paymentTerms: paymentTerms as NonNullable<typeof paymentTerms>,
      defaultCurrency: defaultCurrency ?? '',
      contactEmail: contactEmail ?? null,
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: lastUpdate as Date,
    blocks,
  };
}
