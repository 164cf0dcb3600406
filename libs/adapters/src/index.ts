// Shared mapping vocabulary
export * from './mapping/mapping-error';
export * from './mapping/mapping-context';
export * from './mapping/field-reader';
export * from './mapping/amount-checks';
export * from './mapping/payment-terms';
// Procurement platform (Coupa)
export * from './procurement/coupa-fields';
export * from './procurement/coupa-purchase-order';
export * from './procurement/coupa-purchase-order-status';
export * from './procurement/coupa-purchase-order-closure';
export * from './procurement/coupa-receiving-types';
export * from './procurement/coupa-receipt';
// AP automation platform (Coupa invoices)
export * from './ap-automation/captured-invoice';
export * from './ap-automation/coupa-invoice-lifecycle';
// ERP (Oracle Fusion)
export * from './erp/fusion-supplier';
export * from './erp/fusion-payables-invoice';
export * from './erp/fusion-payment';
export * from './erp/fusion-invoice-status';
export * from './mapping/legal-entity-directory';
// Request schemas of the platform payloads (zod; they emit JSON Schema)
export * from './payload-schemas/payload-fields';
export * from './payload-schemas/coupa-payload-schemas';
export * from './payload-schemas/fusion-payload-schemas';
