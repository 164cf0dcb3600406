import { MappingError } from '@finmesh/adapters';
import { toDocument } from './erp-invoice-client';

const facts = { invoiceId: 'inv-1', grossAmount: '1210.0000', currency: 'EUR' };

describe('ERP invoice document from a Fusion response', () => {
  it('reads the simulator/Fusion 201 body (numeric InvoiceId, AccountingDocumentNumber, no amount)', () => {
    const doc = toDocument(
      { InvoiceId: 300100000000001, InvoiceNumber: 'INV-1', ValidationStatus: 'Validated', AccountingDocumentNumber: 'AP-2025-000001', AccountingDate: '2025-03-18' },
      facts,
    );
    expect(doc).toEqual({ documentId: '300100000000001', documentNumber: 'AP-2025-000001', accountingDate: '2025-03-18', amount: '1210.0000', currency: 'EUR', supplierNumber: null, description: null });
  });

  it('takes amount, currency and supplier from a lookup item when present', () => {
    const doc = toDocument(
      { InvoiceId: '42', InvoiceAmount: '99.50', InvoiceCurrency: 'USD', AccountingDate: '2025-01-02', DocumentSequence: '7', SupplierNumber: 'SUP-9' },
      facts,
    );
    expect(doc).toMatchObject({ documentId: '42', documentNumber: '7', amount: '99.5000', currency: 'USD', supplierNumber: 'SUP-9' });
  });

  it('refuses a response without the document id or accounting date', () => {
    expect(() => toDocument({ AccountingDocumentNumber: 'AP-1' }, facts)).toThrow(MappingError);
  });
});
