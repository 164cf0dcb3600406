import { erpInvoiceNumberOf, replacementInvoiceId } from './invoice-correction';

describe('correction after posting: replacement ids and ERP numbers', () => {
  const old = '0b7c1d8e-5a3f-5c2e-8d41-6f0a9b2c3d4e';

  it('derives the replacement id from the old id and the capture version only', () => {
    const a = replacementInvoiceId(old, '2025-03-18T10:00:00.000Z#4');
    expect(replacementInvoiceId(old, '2025-03-18T10:00:00.000Z#4')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(old);
    expect(replacementInvoiceId(old, '2025-03-18T10:00:00.000Z#5')).not.toBe(a);
  });

  it('posts the original under the supplier number and each replacement with a -R<n> suffix', () => {
    expect(erpInvoiceNumberOf('INV-100', 0)).toBe('INV-100');
    expect(erpInvoiceNumberOf('INV-100', 1)).toBe('INV-100-R1');
    expect(erpInvoiceNumberOf('INV-100', 2)).toBe('INV-100-R2');
  });
});
