import { ValidationProblems } from '../fusion-errors';
import { parseDeliveryTarget } from '../delivery';
import { readJsonObject, sendJson } from '../http-io';
import { adminRoute, type Handler, type Route } from '../http/router';
import { parseTimestamp } from '../resources/clock';
import { parseAdminVoid, parseClearing, parsePaymentRun } from '../resources/payments';
import { toSupplierResource } from '../resources/suppliers';
import { eventOf, idParam, type SimulatorContext } from '../routes/context';

/** Test hooks standing in for what happens inside Fusion: postings view, holds, payment runs, clearing, voids, suppliers. */
export function erpAdminRoutes(ctx: SimulatorContext): Route[] {
  const { state, settings, logger } = ctx;
  const noContent = (action: () => void): Handler => async ({ res }) => {
    action();
    res.writeHead(204).end();
  };

  const postings: Handler = async ({ res, url }) => {
    const invoiceNumber = url.searchParams.get('invoiceNumber');
    const items = state.postings.all().filter((p) => invoiceNumber === null || p.InvoiceNumber === invoiceNumber);
    sendJson(res, 200, { items, count: items.length });
  };

  const placeHold: Handler = async ({ req, res }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const problems = new ValidationProblems();
    const invoiceNumber = body['invoiceNumber'];
    const holdName = body['holdName'];
    if (typeof invoiceNumber !== 'string' || invoiceNumber.trim() === '') problems.add('invoiceNumber', 'invoiceNumber is required.', 'FND_REST_REQUIRED_ATTR');
    if (typeof holdName !== 'string' || holdName.trim() === '') problems.add('holdName', "holdName is required (e.g. 'Qty Rec', 'Amt Ord', 'Price').", 'FND_REST_REQUIRED_ATTR');
    const lineNumber = body['lineNumber'];
    if (lineNumber !== undefined && lineNumber !== null && (typeof lineNumber !== 'number' || !Number.isInteger(lineNumber) || lineNumber < 1)) problems.add('lineNumber', 'lineNumber must be a positive integer.');
    const lastUpdateDate = body['lastUpdateDate'] === undefined ? undefined : parseTimestamp(body['lastUpdateDate']);
    if (body['lastUpdateDate'] !== undefined && lastUpdateDate === undefined) problems.add('lastUpdateDate', 'lastUpdateDate must be an ISO 8601 timestamp with offset.');
    problems.throwIfAny();
    const outcome = state.postings.hold(invoiceNumber as string, {
      holdName: holdName as string,
      holdReason: typeof body['holdReason'] === 'string' ? body['holdReason'] : null,
      lineHeld: typeof lineNumber === 'number' ? lineNumber : null,
      heldBy: typeof body['heldBy'] === 'string' ? body['heldBy'] : 'FUSION_VALIDATION',
      ...(lastUpdateDate ? { lastUpdateDate } : {}),
    });
    logger.info({ invoiceNumber, holdName, outcome: 'placed' in outcome ? 'placed' : 'armed' }, 'invoice hold');
    sendJson(res, 201, 'placed' in outcome ? { status: 'PLACED', hold: outcome.placed } : { status: 'ARMED', armed: outcome.armed });
  };

  const releaseHold: Handler = async ({ req, res, params }) => {
    const body = await readJsonObject(req, settings.bodyLimit).catch(() => ({}) as Record<string, unknown>);
    const releaseName = typeof body['releaseName'] === 'string' && body['releaseName'].trim() !== '' ? body['releaseName'] : 'Released';
    const hold = state.postings.release(idParam(params[0]), { releaseName, releaseReason: typeof body['releaseReason'] === 'string' ? body['releaseReason'] : null, by: 'FUSION_ADMIN' });
    sendJson(res, 200, { hold, invoice: hold.InvoiceId === null ? null : { InvoiceId: hold.InvoiceId, ValidationStatus: state.postings.get(hold.InvoiceId).ValidationStatus } });
  };

  const runPayments: Handler = async ({ req, res }) => {
    const request = parsePaymentRun(await readJsonObject(req, settings.bodyLimit));
    const payments = state.payments.issue(request);
    logger.info({ checkIds: payments.map((p) => p.CheckId) }, 'payment run issued');
    // Sequential, in payment order, so a receiver sees them in the order the run lists them.
    const deliveries = [];
    for (const payment of payments) {
      const result = await ctx.deliver(payment, request.deliverTo, 'payment.issued');
      if (result) deliveries.push(result);
    }
    sendJson(res, 201, { payments, deliveries });
  };

  const confirmPayment: Handler = async ({ req, res, params }) => {
    const request = parseClearing(await readJsonObject(req, settings.bodyLimit));
    const payment = state.payments.clear(idParam(params[0]), request);
    logger.info({ checkId: payment.CheckId, clearingDate: payment.ClearingDate }, 'payment cleared');
    const delivery = await ctx.deliver(payment, request.deliverTo, 'payment.cleared');
    sendJson(res, 200, { payment, deliveries: delivery ? [delivery] : [] });
  };

  const voidPayment: Handler = async ({ req, res, params }) => {
    const request = parseAdminVoid(await readJsonObject(req, settings.bodyLimit));
    const payment = state.payments.void(idParam(params[0]), request);
    logger.info({ checkId: payment.CheckId, voidDate: payment.VoidDate }, 'payment voided');
    const delivery = await ctx.deliver(payment, request.deliverTo, 'payment.voided');
    sendJson(res, 200, { payment, deliveries: delivery ? [delivery] : [] });
  };

  const redeliverPayment: Handler = async ({ req, res, params }) => {
    const payment = state.payments.get(idParam(params[0]));
    const problems = new ValidationProblems();
    const target = parseDeliveryTarget((await readJsonObject(req, settings.bodyLimit))['deliverTo'], problems);
    if (!target) problems.add('deliverTo', 'deliverTo is required.', 'FND_REST_REQUIRED_ATTR');
    problems.throwIfAny();
    const delivery = await ctx.deliver(payment, target, eventOf(payment));
    sendJson(res, 200, { payment, deliveries: delivery ? [delivery] : [] });
  };

  const upsertSupplier: Handler = async ({ req, res }) => {
    const { supplier, created } = state.suppliers.upsert(await readJsonObject(req, settings.bodyLimit));
    logger.info({ supplierId: supplier.header.SupplierId, created }, 'supplier loaded');
    sendJson(res, created ? 201 : 200, toSupplierResource(supplier, { has: () => true }));
  };

  const holdList: Handler = async ({ res }) => sendJson(res, 200, { items: state.postings.holds.all(), armed: state.postings.holds.pendingArmed() });

  return [
    adminRoute('GET', '/postings', postings),
    adminRoute('DELETE', '/postings', noContent(() => state.postings.clear())),
    adminRoute('POST', '/holds', placeHold),
    adminRoute('GET', '/holds', holdList),
    adminRoute('POST', '/holds/{HoldId}/release', releaseHold),
    adminRoute('POST', '/payment-runs', runPayments),
    adminRoute('DELETE', '/payments', noContent(() => state.payments.clearAll())),
    adminRoute('POST', '/payments/{CheckId}/confirm', confirmPayment),
    adminRoute('POST', '/payments/{CheckId}/void', voidPayment),
    adminRoute('POST', '/payments/{CheckId}/deliver', redeliverPayment),
    adminRoute('POST', '/suppliers', upsertSupplier),
    adminRoute('DELETE', '/suppliers', noContent(() => state.suppliers.clear())),
  ];
}

