import { readJsonObject } from '../http-io';
import { fusionRoute, sendCollection, sendItem, type Handler, type Route } from '../http/router';
import { collection, expandedChildren } from '../query/collection';
import { parseVoidPatch, paymentHeader, type Payment } from '../resources/payments';
import { idParam, type SimulatorContext } from './context';

/** payablesPayments: read (relatedInvoices with expand or as the child) and the documented void PATCH. */
export function paymentRoutes(ctx: SimulatorContext): Route[] {
  const { state, settings, logger } = ctx;
  const render = (withInvoices: boolean) => (p: Payment) => (withInvoices ? p : paymentHeader(p));

  const list: Handler = async ({ res, url }) => {
    const withInvoices = expandedChildren(url).has('relatedInvoices');
    sendCollection(res, collection(state.payments.all().map(paymentHeader), url, 'payablesPayments', (h) => render(withInvoices)(state.payments.get(h.CheckId))));
  };
  const get: Handler = async ({ res, url, params }) => sendItem(res, 200, render(expandedChildren(url).has('relatedInvoices'))(state.payments.get(idParam(params[0]))));
  const related: Handler = async ({ res, url, params }) => sendCollection(res, collection(state.payments.get(idParam(params[0])).relatedInvoices, url, 'relatedInvoices', (r) => r));
  const voidPayment: Handler = async ({ req, res, url, params }) => {
    const request = parseVoidPatch(await readJsonObject(req, settings.bodyLimit));
    const payment = state.payments.void(idParam(params[0]), request);
    logger.info({ checkId: payment.CheckId, voidDate: payment.VoidDate }, 'payment voided');
    sendItem(res, 200, render(expandedChildren(url).has('relatedInvoices'))(payment));
  };

  return [
    fusionRoute('GET', '/payablesPayments', list),
    fusionRoute('GET', '/payablesPayments/{CheckId}', get),
    fusionRoute('PATCH', '/payablesPayments/{CheckId}', voidPayment),
    fusionRoute('GET', '/payablesPayments/{CheckId}/child/relatedInvoices', related),
  ];
}
