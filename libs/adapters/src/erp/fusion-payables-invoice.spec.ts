import type { LineItem } from '@finmesh/contracts';
import { mapCapturedInvoice } from '../ap-automation/captured-invoice';
import captured from '../ap-automation/fixtures/captured-invoice.json';
import { nameBasedIds } from '../mapping/mapping-context';
import { MappingError } from '../mapping/mapping-error';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { classifyFusionInvoiceFailure, mapFusionInvoiceCreated, toFusionInvoiceCreateBody, type FusionInvoicePostingTarget } from './fusion-payables-invoice';
import created from './fixtures/fusion-invoice-created.json';

const approved = mapCapturedInvoice(captured, { ids: nameBasedIds, legalEntities: () => LEGAL_ENTITIES.DE01 }).payload;
const combination = (line: LineItem) => (line.glAccount && line.costCenter ? `DE01-${line.costCenter.code}-${line.glAccount}` : undefined);
const target: FusionInvoicePostingTarget = {
  businessUnit: 'DE Business Unit',
  supplier: 'Schraubenwerk Müller GmbH',
  supplierNumber: '1013',
  supplierSite: 'STUTTGART',
  accountingDate: '2025-03-20',
  poNumber: 'PO-4711',
  legalEntity: LEGAL_ENTITIES.DE01,
  distributionCombination: (line) => combination(line) ?? (line.lineNumber === 2 ? 'DE01-CC200-6300' : undefined),
};

describe('toFusionInvoiceCreateBody', () => {
  it('builds the Payables invoice POST body with lines and distributions', () => {
    const body = toFusionInvoiceCreateBody(approved, target);
    expect(body).toMatchObject({
      InvoiceNumber: 'RE-2025-0815',
      InvoiceCurrency: 'EUR',
      InvoiceAmount: 1487.5,
      InvoiceDate: '2025-03-18',
      InvoiceType: 'Standard',
      BusinessUnit: 'DE Business Unit',
      Supplier: 'Schraubenwerk Müller GmbH',
      SupplierNumber: '1013',
      SupplierSite: 'STUTTGART',
      AccountingDate: '2025-03-20',
      PaymentTerms: '2/10 Net 30',
      TermsDate: '2025-03-18',
      PurchaseOrderNumber: 'PO-4711',
    });
    expect(body.invoiceLines[0]).toEqual({
      LineNumber: 1,
      LineType: 'Item',
      LineAmount: 125,
      Description: 'Sechskantschraube M8x40 verzinkt',
      Quantity: 1000,
      UnitPrice: 0.125,
      UOM: 'EA',
      TaxClassificationCode: 'V19',
      PurchaseOrderNumber: 'PO-4711',
      PurchaseOrderLineNumber: 1,
      invoiceDistributions: [{ DistributionLineNumber: 1, DistributionLineType: 'Item', DistributionAmount: 125, DistributionCombination: 'DE01-CC100-4410' }],
    });
    expect(JSON.stringify(body)).toContain('"InvoiceAmount":1487.5');
  });

  it('refuses lines without an account and amounts a JSON number cannot carry', () => {
    const huge = { ...approved, totals: { ...approved.totals, gross: { amount: '123456789012345.6789', currency: 'EUR' } } };
    try {
      toFusionInvoiceCreateBody(huge, { ...target, distributionCombination: combination });
      throw new Error('expected a MappingError');
    } catch (e) {
      expect((e as MappingError).problems).toEqual([
        { path: 'lines[1].glAccount', reason: 'no distribution combination can be built (GL account or cost center missing)' },
        { path: 'totals.gross.amount', reason: '123456789012345.6789 has more than 15 significant digits and cannot be sent exactly as a JSON number' },
      ]);
    }
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
    [{ kind: 'response', status: 400, body: 'Something else is wrong' }, 'BUSINESS', 'UNRECOGNISED_REJECTION', null],
    [{ kind: 'response', status: 503, body: '<html>Service Unavailable</html>' }, 'TRANSIENT', 'SERVICE_UNAVAILABLE', null],
    [{ kind: 'response', status: 429, body: null }, 'TRANSIENT', 'RATE_LIMITED', null],
    [{ kind: 'timeout', afterMs: 30000 }, 'TRANSIENT', 'TIMEOUT', null],
    [{ kind: 'network', message: 'ECONNRESET' }, 'TRANSIENT', 'NETWORK', null],
  ] as const)('%j', (outcome, failureClass, reasonCode, erpCode) => {
    expect(classifyFusionInvoiceFailure(outcome)).toMatchObject({ failureClass, reasonCode, erpCode });
  });
});
