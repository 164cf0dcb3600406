/**
 * Oracle Fusion supplier -> SupplierUpserted payload, plus the blocks (holds) in force.
 *
 * Sources (Oracle Fusion Cloud Procurement, "REST API for Oracle Fusion Cloud Procurement",
 * Suppliers):
 *  - Suppliers resource: `GET /fscmRestApi/resources/11.13.18.05/suppliers` (q, limit/offset,
 *    orderBy, expand) and `GET …/suppliers/{SupplierId}`; children Addresses, Contacts, Sites,
 *    Business Classifications, Products and Services, Attachments.
 *    https://docs.oracle.com/en/cloud/saas/procurement/25d/fapra/api-suppliers.html
 *  - Sites child: `GET …/suppliers/{SupplierId}/child/sites` ("Get all sites"), or inline with
 *    `expand=sites` (the generic expand parameter of every Fusion resource).
 *    https://docs.oracle.com/en/cloud/saas/procurement/25c/fapra/op-suppliers-supplierid-child-sites-get.html
 *  - Supplier attributes (SupplierServiceV2 Supplier SDO, same names as the REST resource):
 *    AlternateName, BusinessRelationship, InactiveDate, TaxOrganizationType, … ; SupplierId,
 *    SupplierNumber, Supplier, TaxpayerCountry, TaxpayerId, TaxRegistrationNumber, LastUpdateDate.
 *    https://docs.oracle.com/en/cloud/saas/procurement/24a/oeswp/supplier-d20220e61017.html
 *  - Site columns behind the sites child (POZ_SUPPLIER_SITES_V): VENDOR_SITE_ID, VENDOR_SITE_CODE,
 *    PRC_BU_ID, INACTIVE_DATE, PURCHASING_SITE_FLAG, PAY_SITE_FLAG, HOLD_FLAG,
 *    PURCHASING_HOLD_REASON, HOLD_BY, HOLD_ALL_PAYMENTS_FLAG, HOLD_REASON, INVOICE_CURRENCY_CODE,
 *    PAYMENT_CURRENCY_CODE, TERMS_ID, EMAIL_ADDRESS, LAST_UPDATE_DATE.
 *    https://docs.oracle.com/en/cloud/saas/procurement/25d/oedmp/pozsuppliersitesv-7544.html
 *
 * Read here: `SupplierId`, `Supplier` (name), `SupplierNumber`, `AlternateName`,
 * `TaxpayerCountry`, `TaxpayerId`, `TaxRegistrationNumber`, `InactiveDate`, `LastUpdateDate`;
 * child `addresses` (`AddressName`, `AddressLine1`, `AddressLine2`, `City`, `State`, `PostalCode`,
 * `CountryCode`, `AddressPurposeRemitToFlag`); child `sites` (`SupplierSiteId`, `SupplierSite`,
 * `ProcurementBU`, `SupplierAddressName`, `SitePurposePayFlag`, `InactiveDate`, `Email`,
 * `HoldAllNewPurchasingDocumentsFlag`, `PurchasingHoldReason`, `AllNewPurchasingDocumentsHoldBy`,
 * and the invoicing attributes `PaymentTerms`, `InvoiceCurrencyCode`, `PaymentCurrencyCode`,
 * `HoldAllInvoicesFlag`, `InvoiceHoldReason`, `HoldAllPaymentsFlag`, `PaymentHoldReason`,
 * `PaymentHoldBy`).
 *
 * Unconfirmed (REST attribute names not seen on an Oracle page; they follow the site columns
 * above and the Supplier Site SDO): the site hold attributes (`HoldAllNewPurchasingDocumentsFlag`,
 * `PurchasingHoldReason`, `AllNewPurchasingDocumentsHoldBy`, `HoldAllInvoicesFlag`,
 * `InvoiceHoldReason`, `HoldAllPaymentsFlag`, `PaymentHoldReason`, `PaymentHoldBy`) and the
 * supplier-level `HoldFlag`/`HoldReason`/`HoldBy`/`HoldAllPaymentsFlag`/`PaymentHoldReason`.
 * There is no supplier `Status` attribute to read: Fusion's ACTIVE/INACTIVE/ALL supplier status is
 * a search value (enum oraProcurementCoreSuppliers Status); a supplier is inactive from its
 * InactiveDate, which is what this mapper evaluates.
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
import { ibanProblem, isBic, type Address, type BankAccount, type SupplierBlockScope, type SupplierStatus, type TaxId, type TaxIdScheme } from '@finmesh/contracts';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { parsePaymentTermsName, type PaymentTermsLookup } from '../mapping/payment-terms';
import { resolveId, resolveLegalEntity } from '../mapping/resolution';
import { FUSION_SUPPLIER_SCHEMA } from '../payload-schemas/fusion-payload-schemas';

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
  /**
   * The pay site invoices of this supplier are posted to (the first active pay site, the one terms
   * and currency come from): what Payables needs as the invoice's SupplierSite.
   */
  readonly paySite: { readonly supplierSiteId: string; readonly supplierSite: string; readonly procurementBU: string } | null;
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
  const problems = ProblemCollector.forPayload(FUSION_SUPPLIER_SCHEMA, payload);
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
    return { reader: s, active, pay, paymentHeld, siteId, name: s.string('SupplierSite') ?? null, purchasing: s.boolean('SitePurposePurchasingFlag', false) ?? false };
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
    const iban = b.optionalString('IBAN')?.replace(/\s/g, '').toUpperCase() ?? null;
    const accountNumber = b.optionalString('AccountNumber') ?? null;
    if (!iban && !accountNumber) b.problem('AccountNumber', 'is required when IBAN is not set');
    // Named by path only: a bank account never goes back in an answer or a log.
    const ibanWrong = iban ? ibanProblem(iban) : undefined;
    if (ibanWrong) b.problem('IBAN', ibanWrong);
    const bic = b.optionalString('SWIFTCode')?.replace(/\s/g, '').toUpperCase() ?? null;
    if (bic && !isBic(bic)) b.problem('SWIFTCode', 'is not a BIC (ISO 9362: 4 letters, an ISO country, 2 location characters, optional 3-character branch)');
    return {
      accountId: b.string('BankAccountId') ?? '',
      holderName: b.optionalString('AccountName') ?? legalName ?? '',
      iban,
      accountNumber,
      bic,
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
      sites: sites.map((site) => ({
        siteId: site.siteId,
        site: site.name ?? '',
        procurementBusinessUnit: site.reader.optionalString('ProcurementBU') ?? null,
        pay: site.pay,
        purchasing: site.purchasing,
        active: site.active,
      })),
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: lastUpdate as Date,
    blocks,
    paySite: main && main.name ? { supplierSiteId: main.siteId, supplierSite: main.name, procurementBU: main.reader.optionalString('ProcurementBU') ?? '' } : null,
  };
}
