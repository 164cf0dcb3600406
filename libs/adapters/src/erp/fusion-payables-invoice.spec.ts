import type { LineItem } from '@finmesh/contracts';
import { mapCapturedInvoice } from '../ap-automation/captured-invoice';
import captured from '../ap-automation/fixtures/captured-invoice.json';
import { nameBasedIds } from '../mapping/mapping-context';
import { MappingError } from '../mapping/mapping-error';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { classifyFusionInvoiceFailure, fusionDecimalText, mapFusionInvoiceCreated, toFusionInvoiceCreateBody, type FusionInvoicePostingTarget } from './fusion-payables-invoice';
import created from './fixtures/fusion-invoice-created.json';
// Oracle's "Create an Invoice with a PO-Matched Line and Freight Line" example request.
import oraclePoMatched from './fixtures/fusion-invoice-po-matched-request.json';

const approved = mapCapturedInvoice(captured, { ids: nameBasedIds, legalEntities: () => LEGAL_ENTITIES.DE01 }).payload;
const combination = (line: LineItem) => (line.glAccount && line.costCenter ? `DE01-${line.costCenter.code}-${line.glAccount}` : undefined);
const target: FusionInvoicePostingTarget = {
  businessUnit: 'DE Business Unit',
  supplier: 'Schraubenwerk Müller GmbH',
  supplierNumber: '1013',
  supplierSite: 'STUTTGART',
  defaultSupplierSite: 'MAIN',
  accountingDate: '2025-03-20',
  poNumber: 'PO-4711',
  legalEntity: LEGAL_ENTITIES.DE01,
  distributionCombination: combination,
};
// Line 2 of the captured invoice has neither GL account nor cost center (the real-data case).
const poLineAccounting = (poLine: number) => (poLine === 2 ? { costCenter: { code: 'CC200', name: null }, glAccount: '6300' } : undefined);

describe('toFusionInvoiceCreateBody', () => {
  it('builds a PO-matched invoice like Oracle\'s example: strings for amounts, PO line and schedule, no distributions', () => {
    const body = toFusionInvoiceCreateBody(approved, target);
    expect(body).toEqual({
      InvoiceNumber: 'RE-2025-0815',
      InvoiceCurrency: 'EUR',
      InvoiceAmount: '1487.50',
      InvoiceDate: '2025-03-18',
      InvoiceType: 'Standard',
      BusinessUnit: 'DE Business Unit',
      Supplier: 'Schraubenwerk Müller GmbH',
      SupplierNumber: '1013',
      SupplierSite: 'STUTTGART',
      AccountingDate: '2025-03-20',
      Description: `finmesh invoice ${approved.invoiceId}`,
      PaymentTerms: '2/10 Net 30',
      TermsDate: '2025-03-18',
      PurchaseOrderNumber: 'PO-4711',
      invoiceLines: [
        {
          LineNumber: 1,
          LineType: 'Item',
          LineAmount: '125.00',
          Description: 'Sechskantschraube M8x40 verzinkt',
          Quantity: '1000',
          UnitPrice: '0.125',
          UOM: 'EA',
          TaxClassification: 'V19',
          PurchaseOrderNumber: 'PO-4711',
          PurchaseOrderLineNumber: 1,
          PurchaseOrderScheduleLineNumber: 1,
        },
        {
          LineNumber: 2,
          LineType: 'Item',
          LineAmount: '1125.00',
          Description: 'Montageberatung',
          Quantity: '12.5',
          UnitPrice: '90',
          UOM: 'HUR',
          TaxClassification: 'V19',
          PurchaseOrderNumber: 'PO-4711',
          PurchaseOrderLineNumber: 2,
          PurchaseOrderScheduleLineNumber: 1,
        },
      ],
    });
    // Every attribute Oracle's PO-matched line carries, ours carries too, with amounts as strings.
    const oracleLine = oraclePoMatched.invoiceLines[0] as Record<string, unknown>;
    const ours = body.invoiceLines[0] as unknown as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(expect.arrayContaining(Object.keys(oracleLine)));
    for (const key of ['LineAmount', 'Quantity', 'UnitPrice']) expect(typeof ours[key]).toBe(typeof oracleLine[key]);
    expect(typeof body.InvoiceAmount).toBe(typeof oraclePoMatched.InvoiceAmount);
    expect(JSON.stringify(body)).not.toContain('invoiceDistributions');
    expect(JSON.stringify(body)).not.toContain('TaxClassificationCode');
  });

  it('sends amounts exactly, however many digits they have', () => {
    const huge = { ...approved, totals: { ...approved.totals, gross: { amount: '123456789012345.6789', currency: 'EUR' } } };
    expect(toFusionInvoiceCreateBody(huge, target).InvoiceAmount).toBe('123456789012345.6789');
  });

  it('trims insignificant zeros only', () => {
    expect([fusionDecimalText('1210.0000', 2), fusionDecimalText('-0.5000', 2), fusionDecimalText('0.125000', 0), fusionDecimalText('1000.0000', 0), fusionDecimalText('0.0001', 2)]).toEqual(['1210.00', '-0.50', '0.125', '1000', '0.0001']);
  });

  it('takes the schedule from the caller', () => {
    const body = toFusionInvoiceCreateBody(approved, { ...target, poScheduleNumber: (poLine) => poLine + 10 });
    expect(body.invoiceLines.map((l) => l.PurchaseOrderScheduleLineNumber)).toEqual([11, 12]);
  });

  it('gives lines their own distribution when the PO is not in the ERP, taking the PO line\'s accounting where the line has none', () => {
    const body = toFusionInvoiceCreateBody(approved, { ...target, purchaseOrderInErp: false, poLineAccounting });
    expect(body.PurchaseOrderNumber).toBeUndefined();
    expect(body.invoiceLines.map((l) => [l.PurchaseOrderNumber, l.invoiceDistributions])).toEqual([
      [undefined, [{ DistributionLineNumber: 1, DistributionLineType: 'Item', DistributionAmount: '125.00', DistributionCombination: 'DE01-CC100-4410' }]],
      [undefined, [{ DistributionLineNumber: 1, DistributionLineType: 'Item', DistributionAmount: '1125.00', DistributionCombination: 'DE01-CC200-6300' }]],
    ]);
    // Same for an invoice without a PO number.
    expect(toFusionInvoiceCreateBody(approved, { ...target, poNumber: null, poLineAccounting }).invoiceLines[1]?.invoiceDistributions?.[0]?.DistributionCombination).toBe('DE01-CC200-6300');
  });

  it('refuses a line without accounting that is neither PO-matched nor covered by its PO line, and an unknown supplier site', () => {
    try {
      toFusionInvoiceCreateBody(approved, { ...target, purchaseOrderInErp: false, supplierSite: null, defaultSupplierSite: ' ' });
      throw new Error('expected a MappingError');
    } catch (e) {
      expect((e as MappingError).problems).toEqual([
        { path: 'lines[1].glAccount', reason: 'has no GL account or cost center, is not matched to PO line 2 in the ERP (the PO is not in the ERP), and that PO line\'s accounting is not known' },
        { path: 'supplierSite', reason: 'no supplier site is known for supplier 1013 (and no default site is configured)' },
      ]);
    }
    const freeLine = { ...approved, lines: approved.lines.map((l) => ({ ...l, poLineNumber: null, glAccount: null })) };
    expect(() => toFusionInvoiceCreateBody(freeLine, { ...target, poLineAccounting })).toThrow(
      expect.objectContaining({ problems: expect.arrayContaining([{ path: 'lines[0].glAccount', reason: 'has no GL account or cost center to build a distribution from, and no PO line to take one from' }]) }),
    );
  });

  it('falls back to the configured default site only when the caller knows none', () => {
    expect(toFusionInvoiceCreateBody(approved, { ...target, supplierSite: undefined }).SupplierSite).toBe('MAIN');
    expect(toFusionInvoiceCreateBody(approved, { ...target, supplierSite: 'BERLIN' }).SupplierSite).toBe('BERLIN');
  });

  it('posts a credit note as a Credit memo', () => {
    const credit = { ...approved, documentType: 'CREDIT_NOTE' as const };
    expect(toFusionInvoiceCreateBody(credit, target).InvoiceType).toBe('Credit memo');
  });
});

describe('mapFusionInvoiceCreated', () => {
  it('maps the POST response to InvoicePosted', () => {
    const payload = mapFusionInvoiceCreated(approved.invoiceId, created);
    expect(payload).toEqual({
      invoiceId: approved.invoiceId,
      erpDocumentId: '300100187053845',
      erpDocumentNumber: '2025000417',
      accountingDate: '2025-03-20',
      fiscalPeriod: null,
      postedAmount: { amount: '1487.5000', currency: 'EUR' },
    });
    expect(contractProblems('InvoicePosted', payload)).toEqual([]);
  });

  it('reports a response without the fields finmesh needs', () => {
    expect(() => mapFusionInvoiceCreated('x', { InvoiceNumber: 'RE-1', InvoiceAmount: '1.234,50' })).toThrow(
      expect.objectContaining({
        problems: [
          { path: 'InvoiceId', reason: 'is required' },
          { path: 'AccountingDate', reason: 'is required' },
          { path: 'InvoiceAmount', reason: 'must be a decimal number, got "1.234,50"' },
          { path: 'InvoiceCurrency', reason: 'is required' },
        ],
      }),
    );
  });
});

describe('classifyFusionInvoiceFailure', () => {
  const adfError = (detail: string, code: string) => ({ title: 'Bad Request', status: '400', 'o:errorDetails': [{ detail, 'o:errorCode': code }] });
  it.each([
    [{ kind: 'response', status: 400, body: adfError('The accounting date 2025-03-20 is not in an open period.', 'AP-810191') }, 'BUSINESS', 'PERIOD_CLOSED', 'AP-810191'],
    [{ kind: 'response', status: 400, body: adfError('The distribution combination 01-000-7699 is invalid.', 'AP-810076') }, 'BUSINESS', 'INVALID_DISTRIBUTION', 'AP-810076'],
    [{ kind: 'response', status: 422, body: 'Supplier Schraubenwerk Müller GmbH is inactive. (AP-810411)' }, 'BUSINESS', 'SUPPLIER_INACTIVE', 'AP-810411'],
    [{ kind: 'response', status: 409, body: { title: 'Conflict' } }, 'BUSINESS', 'DUPLICATE_INVOICE', null],
    [{ kind: 'response', status: 400, body: adfError("Invoice line 1: purchase order PO-9 line 1 schedule 1 doesn't exist or isn't open.", 'INVALID_PO_REFERENCE') }, 'BUSINESS', 'PURCHASE_ORDER_INVALID', 'INVALID_PO_REFERENCE'],
    [{ kind: 'response', status: 400, body: 'Something else is wrong' }, 'BUSINESS', 'UNRECOGNISED_REJECTION', null],
    [{ kind: 'response', status: 503, body: '<html>Service Unavailable</html>' }, 'TRANSIENT', 'SERVICE_UNAVAILABLE', null],
    [{ kind: 'response', status: 429, body: null }, 'TRANSIENT', 'RATE_LIMITED', null],
    [{ kind: 'timeout', afterMs: 30000 }, 'TRANSIENT', 'TIMEOUT', null],
    [{ kind: 'network', message: 'ECONNRESET' }, 'TRANSIENT', 'NETWORK', null],
  ] as const)('%j', (outcome, failureClass, reasonCode, erpCode) => {
    expect(classifyFusionInvoiceFailure(outcome)).toMatchObject({ failureClass, reasonCode, erpCode });
  });
});
