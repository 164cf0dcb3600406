import { errorDetail, FusionHttpError } from '../fusion-errors';
import { fusionRoute, sendCollection, sendItem, type Handler, type Route } from '../http/router';
import { collection, expandedChildren } from '../query/collection';
import { toSupplierResource } from '../resources/suppliers';
import { idParam, type SimulatorContext } from './context';

/** suppliers with the sites and addresses children (read only; suppliers are loaded through the admin API). */
export function supplierRoutes(ctx: SimulatorContext): Route[] {
  const { state } = ctx;
  const list: Handler = async ({ res, url }) => {
    const expand = expandedChildren(url);
    sendCollection(res, collection(state.suppliers.all().map((s) => s.header), url, 'suppliers', (h) => toSupplierResource(state.suppliers.get(h.SupplierId), expand)));
  };
  const get: Handler = async ({ res, url, params }) => sendItem(res, 200, toSupplierResource(state.suppliers.get(idParam(params[0])), expandedChildren(url)));
  const sites: Handler = async ({ res, url, params }) => sendCollection(res, collection(state.suppliers.get(idParam(params[0])).sites, url, 'sites', (s) => s));
  const site: Handler = async ({ res, params }) => {
    const found = state.suppliers.get(idParam(params[0])).sites.find((s) => s.SupplierSiteId === idParam(params[1]));
    if (!found) throw new FusionHttpError(404, [errorDetail(`No site ${params[1]} for supplier ${params[0]}.`, 'SITE_NOT_FOUND')]);
    sendItem(res, 200, found);
  };
  const addresses: Handler = async ({ res, url, params }) => sendCollection(res, collection(state.suppliers.get(idParam(params[0])).addresses, url, 'addresses', (a) => a));
  return [
    fusionRoute('GET', '/suppliers', list),
    fusionRoute('GET', '/suppliers/{SupplierId}', get),
    fusionRoute('GET', '/suppliers/{SupplierId}/child/sites', sites),
    fusionRoute('GET', '/suppliers/{SupplierId}/child/sites/{SupplierSiteId}', site),
    fusionRoute('GET', '/suppliers/{SupplierId}/child/addresses', addresses),
  ];
}
