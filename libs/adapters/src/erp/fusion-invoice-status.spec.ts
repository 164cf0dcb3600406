import { MappingError } from '../mapping/mapping-error';
import { readFusionInvoiceHold, readFusionInvoiceStatus } from './fusion-invoice-status';
// Oracle's "Find Invoices that are Canceled" item (cut after PayGroup there; CanceledDate,
// CanceledBy and LastUpdateDate added from the attribute list).
import canceled from './fixtures/fusion-invoice-canceled.json';
import created from './fixtures/fusion-invoice-created.json';
// Oracle's "Release an Invoice Hold" example response.
import released from './fixtures/fusion-invoice-hold-released.json';

const problemsOf = (read: () => unknown) => {
  try {
    read();
  } catch (e) {
    if (e instanceof MappingError) return e.problems;
    throw e;
  }
  throw new Error('expected a MappingError');
};

describe('readFusionInvoiceStatus', () => {
  it('reads a canceled invoice', () => {
    expect(readFusionInvoiceStatus(canceled)).toEqual({
      erpDocumentId: '300100119154009',
      invoiceNumber: 'WHT_P1_01',
      supplierNumber: '1449703140',
      erpValidationStatus: 'Canceled',
      validation: 'CANCELED',
      canceledDate: '2017-07-27',
      canceledBy: 'AP_SUPV_INDIA',
      lastUpdateDate: new Date('2017-07-27T09:12:45.001Z'),
    });
  });

  it('reads the validation states, in any case', () => {
    const item = { ...created, LastUpdateDate: '2025-03-20T10:00:00.000+00:00' };
    expect(readFusionInvoiceStatus(item).validation).toBe('NOT_VALIDATED');
    expect(readFusionInvoiceStatus({ ...item, ValidationStatus: 'Validated' }).validation).toBe('VALIDATED');
    expect(readFusionInvoiceStatus({ ...item, ValidationStatus: 'Needs Revalidation' }).validation).toBe('NEEDS_REVALIDATION');
    expect(problemsOf(() => readFusionInvoiceStatus({ ...item, ValidationStatus: 'Approved', LastUpdateDate: undefined }))).toEqual([
      { path: 'ValidationStatus', reason: 'is not a known Payables validation status: "Approved" (expected Not validated, Validated, Needs revalidation or Canceled)' },
      { path: 'LastUpdateDate', reason: 'is required' },
    ]);
  });
});

describe('readFusionInvoiceHold', () => {
  it('reads a released hold', () => {
    expect(readFusionInvoiceHold(released)).toEqual({
      holdId: '300100170746046',
      erpDocumentId: null,
      invoiceNumber: 'REST Unmatched Invoice',
      holdName: 'Amount',
      holdReason: 'Invoice amount exceeded limit.',
      holdDate: new Date('2018-11-26T06:42:57.003Z'),
      lineHeld: null,
      released: true,
      releaseName: 'Amount approved',
      releaseReason: 'Invoice amount approved by supervisor or manager.',
      lastUpdateDate: new Date('2018-11-26T06:49:45.035Z'),
    });
  });

  it('reads an open line hold with its invoice id', () => {
    const open = { ...released, InvoiceId: 300100187053845, HoldName: 'Qty Rec', LineHeld: 2, ReleaseName: null, ReleaseReason: null, ReleaseDate: null };
    expect(readFusionInvoiceHold(open)).toMatchObject({ erpDocumentId: '300100187053845', holdName: 'Qty Rec', lineHeld: 2, released: false, releaseName: null });
  });
});
