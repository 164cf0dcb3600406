import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@finmesh/service-kit';

/** The service a write endpoint belongs to (the fuzz suite boots each once). */
export type FuzzedService = 'supplier-sync' | 'po-sync' | 'invoice-sync' | 'payment-sync';

/** A write endpoint of finmesh's HTTP APIs, with a valid body in the platform's shape to mutate. */
export interface WriteEndpoint {
  readonly name: string;
  readonly service: FuzzedService;
  readonly path: string;
  readonly role: Role;
  readonly seed: unknown;
}

const fixture = (relative: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../libs/adapters/src', relative), 'utf8'));

/**
 * Every write endpoint (README "HTTP APIs"), seeded with the adapters' vendor fixtures (the
 * shapes the adapters' mapping tests read). The admin rebuild has no body and is not listed.
 */
export function writeEndpoints(): readonly WriteEndpoint[] {
  return [
    { name: 'ERP supplier', service: 'supplier-sync', path: '/v1/erp/suppliers', role: 'erp-platform', seed: fixture('erp/fixtures/fusion-supplier.json') },
    { name: 'Coupa purchase order', service: 'po-sync', path: '/v1/procurement/purchase-orders', role: 'procurement-platform', seed: fixture('procurement/fixtures/coupa-purchase-order.json') },
    { name: 'Coupa PO close', service: 'po-sync', path: '/v1/procurement/purchase-orders/4711/close', role: 'procurement-platform', seed: { reason: 'COMPLETED', comment: 'all delivered', closedBy: 'buyer' } },
    { name: 'Coupa receipts', service: 'po-sync', path: '/v1/procurement/receipts', role: 'procurement-platform', seed: fixture('procurement/fixtures/coupa-receiving-transactions.json') },
    { name: 'AP invoice capture', service: 'invoice-sync', path: '/v1/ap/invoices', role: 'ap-platform', seed: fixture('ap-automation/fixtures/captured-invoice.json') },
    { name: 'invoice resolution', service: 'invoice-sync', path: '/v1/invoices/00000000-0000-4000-8000-000000000001/resolution', role: 'finance-approver', seed: { action: 'override-approve', reason: 'agreed with purchasing' } },
    { name: 'ERP payment', service: 'payment-sync', path: '/v1/erp/payments', role: 'erp-platform', seed: fixture('erp/fixtures/fusion-payment.json') },
  ];
}
