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

  it("reads Oracle's create response (numeric InvoiceAmount, DocumentSequence, Not validated)", () => {
    const oracle = {
      InvoiceId: 300100187048034,
      InvoiceNumber: '1000183-3',
      InvoiceCurrency: 'USD',
      PaymentCurrency: 'USD',
      InvoiceAmount: 130.8,
      InvoiceDate: '2019-08-01',
      AccountingDate: '2019-08-01',
      DocumentSequence: '2019000123',
      ValidationStatus: 'Not validated',
      SupplierNumber: '1252',
    };
    expect(toDocument(oracle, facts)).toEqual({ documentId: '300100187048034', documentNumber: '2019000123', accountingDate: '2019-08-01', amount: '130.8000', currency: 'USD', supplierNumber: '1252', description: null });
  });

  it('reads the simulator 201 (the created invoice with string amounts)', () => {
    const doc = toDocument({ InvoiceId: 300100000000002, InvoiceAmount: '1210.00', InvoiceCurrency: 'EUR', AccountingDate: '2025-03-18', AccountingDocumentNumber: 'AP-2025-000002', ValidationStatus: 'Not validated', Description: 'finmesh invoice inv-1' }, facts);
    expect(doc).toMatchObject({ documentId: '300100000000002', documentNumber: 'AP-2025-000002', amount: '1210.0000', description: 'finmesh invoice inv-1' });
  });

  it('refuses a response without the document id or accounting date', () => {
    expect(() => toDocument({ AccountingDocumentNumber: 'AP-1' }, facts)).toThrow(MappingError);
  });
});
