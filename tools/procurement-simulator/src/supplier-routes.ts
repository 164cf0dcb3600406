/**
 * Routes of Coupa's suppliers resource and its remit-to addresses (see suppliers.ts for the
 * sources), shared by this simulator and tools/ap-simulator:
 *
 *   GET  /api/suppliers[?number=1013&status=active...]    core.supplier.read   (bare array, 50 a page)
 *   GET  /api/suppliers/:id                               core.supplier.read
 *   POST /api/suppliers                                   core.supplier.write  201
 *   PUT  /api/suppliers/:id                               core.supplier.write  200
 *   GET  /api/suppliers/:supplier_id/addresses[/:id]      core.supplier.read
 *   POST /api/suppliers/:supplier_id/addresses            core.supplier.write  201
 *   PUT|PATCH /api/suppliers/:supplier_id/addresses/:id   core.supplier.write  200
 */
import type { Clock } from './clock';
import { readJson, readJsonObject, sendJson } from './http-io';
import { parseCollectionQuery, project, runCollectionQuery } from './query-filter';
import type { ResourceStore } from './resource-store';
import type { Route } from './simulator-state';
import { createRemitToAddress, createSupplier, remitToAddressOf, requireObject, updateRemitToAddress, updateSupplier } from './suppliers';

export const SUPPLIER_SCOPES = ['core.supplier.read', 'core.supplier.write'] as const;

export function supplierApiRoutes(suppliers: ResourceStore, addresses: ResourceStore, clock: Clock, bodyLimitBytes: number): Route[] {
  const fields = (url: URL) => parseCollectionQuery(url.searchParams).fields;
  const read = 'core.supplier.read';
  const write = 'core.supplier.write';
  return [
    { method: 'GET', template: '/api/suppliers', scope: read, faultable: true, handler: async (_q, res, _p, url) => sendJson(res, 200, runCollectionQuery(suppliers.all(), parseCollectionQuery(url.searchParams))) },
    { method: 'GET', template: '/api/suppliers/:id', scope: read, faultable: true, handler: async (_q, res, [id], url) => sendJson(res, 200, project(suppliers.require(Number(id)), fields(url))) },
    { method: 'POST', template: '/api/suppliers', scope: write, faultable: true, handler: async (req, res, _p, url) => sendJson(res, 201, project(createSupplier(suppliers, await readJsonObject(req, bodyLimitBytes), clock), fields(url))) },
    {
      method: 'PUT',
      template: '/api/suppliers/:id',
      scope: write,
      faultable: true,
      handler: async (req, res, [id], url) => sendJson(res, 200, project(updateSupplier(suppliers, Number(id), await readJsonObject(req, bodyLimitBytes), clock), fields(url))),
    },
    {
      method: 'GET',
      template: '/api/suppliers/:supplier_id/addresses',
      scope: read,
      faultable: true,
      handler: async (_q, res, [supplierId], url) => {
        suppliers.require(Number(supplierId));
        sendJson(res, 200, runCollectionQuery(addresses.all().filter((a) => a['supplier-id'] === Number(supplierId)), parseCollectionQuery(url.searchParams)));
      },
    },
    {
      method: 'GET',
      template: '/api/suppliers/:supplier_id/addresses/:id',
      scope: read,
      faultable: true,
      handler: async (_q, res, [supplierId, id]) => sendJson(res, 200, remitToAddressOf(addresses, Number(supplierId), Number(id))),
    },
    {
      method: 'POST',
      template: '/api/suppliers/:supplier_id/addresses',
      scope: write,
      faultable: true,
      handler: async (req, res, [supplierId]) => sendJson(res, 201, createRemitToAddress(addresses, suppliers, Number(supplierId), requireObject(await readJson(req, bodyLimitBytes)), clock)),
    },
    ...(['PUT', 'PATCH'] as const).map(
      (method): Route => ({
        method,
        template: '/api/suppliers/:supplier_id/addresses/:id',
        scope: write,
        faultable: true,
        handler: async (req, res, [supplierId, id]) => sendJson(res, 200, updateRemitToAddress(addresses, Number(supplierId), Number(id), await readJsonObject(req, bodyLimitBytes), clock)),
      }),
    ),
  ];
}

/** Admin routes standing for what people do in Coupa's UI: seed suppliers, read everything. */
export function supplierAdminRoutes(suppliers: ResourceStore, addresses: ResourceStore, clock: Clock, bodyLimitBytes: number): Route[] {
  return [
    { method: 'POST', template: '/__admin/suppliers', handler: async (req, res) => sendJson(res, 201, createSupplier(suppliers, await readJsonObject(req, bodyLimitBytes), clock)) },
    { method: 'GET', template: '/__admin/suppliers', handler: async (_q, res) => sendJson(res, 200, { items: suppliers.all() }) },
    { method: 'GET', template: '/__admin/suppliers/:id', handler: async (_q, res, [id]) => sendJson(res, 200, suppliers.require(Number(id))) },
    { method: 'GET', template: '/__admin/remit_to_addresses', handler: async (_q, res) => sendJson(res, 200, { items: addresses.all() }) },
  ];
}
