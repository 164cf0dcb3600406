import { errorDetail, fusionErrorBody, FusionHttpError, type FusionErrorDetail } from '../fusion-errors';
import { headerValue, readJsonObject, sendJson } from '../http-io';
import { ACTION_RESULT_TYPE, ERROR_TYPE, FUSION_BASE_PATH, fusionRoute, sendCollection, sendItem, type Handler, type Route } from '../http/router';
import { collection, expandedChildren } from '../query/collection';
import type { Fault } from '../fault-injector';
import type { InvoiceCreateRequest } from '../resources/invoice-request';
import { validateInvoiceCreate } from '../resources/invoice-request';
import { toInvoiceResource, type PostingOutcome } from '../resources/invoices';
import { idParam, type SimulatorContext } from './context';

function faultBody(fault: Fault) {
  return fusionErrorBody(fault.status, [errorDetail(fault.message, fault.code)], fault.code);
}

const actor = (p: { name: string } | null): string => p?.name ?? 'anonymous';

/** Payables invoices: create, read, the validateInvoice and cancelInvoice actions, and invoiceHolds. */
export function invoiceRoutes(ctx: SimulatorContext): Route[] {
  const { state, settings, logger } = ctx;

  /** Fusion refuses a PO-matched line whose order, line or schedule it does not hold. */
  const checkPurchaseOrders = (request: InvoiceCreateRequest): void => {
    if (settings.purchaseOrderCheck === 'off') return;
    const details: FusionErrorDetail[] = [];
    request.invoiceLines.forEach((line, i) => {
      const poNumber = line.PurchaseOrderNumber ?? (line.PurchaseOrderLineNumber !== undefined ? request.PurchaseOrderNumber : undefined);
      if (poNumber === undefined && line.PurchaseOrderLineNumber === undefined) return;
      if (poNumber === undefined) {
        details.push(errorDetail(`Invoice line ${line.LineNumber}: PurchaseOrderLineNumber ${line.PurchaseOrderLineNumber} needs a PurchaseOrderNumber.`, 'INVALID_PO_REFERENCE', `invoiceLines[${i}].PurchaseOrderNumber`));
        return;
      }
      const found = state.purchaseOrders.findSchedule(poNumber, line.PurchaseOrderLineNumber, line.PurchaseOrderScheduleLineNumber);
      if (!found.ok) details.push(errorDetail(`Invoice line ${line.LineNumber}: ${found.why}.`, 'INVALID_PO_REFERENCE', `invoiceLines[${i}].PurchaseOrderNumber`));
    });
    if (details.length > 0) throw new FusionHttpError(400, details);
  };

  const createInvoice: Handler = async ({ req, res, url, principal }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const request = validateInvoiceCreate(body);
    checkPurchaseOrders(request);
    const idempotencyKey = headerValue(req, 'idempotency-key');
    const fault = state.faults.take(request.InvoiceNumber);
    const store = (outcome: PostingOutcome) =>
      state.postings.create(request, { idempotencyKey, requestBody: body, receivedAt: new Date(), outcome, createdBy: actor(principal) });
    const log = logger.child({ invoiceNumber: request.InvoiceNumber, idempotencyKey, fault: fault?.kind });

    if (fault?.kind === 'business-rejection') {
      log.info({ code: fault.code }, 'invoice rejected by injected business rule');
      sendJson(res, fault.status, faultBody(fault), ERROR_TYPE);
      return;
    }
    if (fault?.kind === 'http-5xx') {
      if (fault.afterProcessing) log.info({ invoiceId: store('http-5xx-after-processing').InvoiceId }, 'invoice posted, answering with injected 5xx');
      else log.info('injected 5xx before processing');
      sendJson(res, fault.status, faultBody(fault), ERROR_TYPE);
      return;
    }
    if (fault?.kind === 'timeout') {
      if (fault.afterProcessing) log.info({ invoiceId: store('timeout-after-processing').InvoiceId }, 'invoice posted, holding the request (injected timeout)');
      else log.info('holding the request without processing (injected timeout)');
      ctx.hang(req, res, fault.hangMs ?? settings.hangMs);
      return;
    }
    const posting = store('acknowledged');
    log.info({ invoiceId: posting.InvoiceId, document: posting.AccountingDocumentNumber }, 'invoice posted');
    res.setHeader('location', `${url.origin}${FUSION_BASE_PATH}/invoices/${posting.InvoiceId}`);
    sendItem(res, 201, toInvoiceResource(posting, true));
  };

  const listInvoices: Handler = async ({ res, url }) => {
    const withLines = expandedChildren(url).has('invoiceLines');
    sendCollection(res, collection(state.postings.all().map((p) => toInvoiceResource(p, false)), url, 'invoices', (row) => (withLines ? toInvoiceResource(state.postings.get(row.InvoiceId), true) : row)));
  };

  const getInvoice: Handler = async ({ res, url, params }) => {
    sendItem(res, 200, toInvoiceResource(state.postings.get(idParam(params[0])), expandedChildren(url).has('invoiceLines')));
  };

  const invoiceLines: Handler = async ({ res, url, params }) => {
    sendCollection(res, collection(state.postings.get(idParam(params[0])).invoiceLines, url, 'invoiceLines', (l) => l));
  };

  const validateInvoice: Handler = async ({ req, res, principal }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const invoice = state.postings.validate(state.postings.identify(body, 'validateInvoice', false), actor(principal));
    logger.info({ invoiceId: invoice.InvoiceId, status: invoice.ValidationStatus }, 'invoice validated');
    sendJson(res, 200, { result: `The current action Validate Invoice has completed successfully. Validation status: ${invoice.ValidationStatus}.` }, ACTION_RESULT_TYPE);
  };

  const cancelInvoice: Handler = async ({ req, res, principal }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const invoice = state.postings.identify(body, 'cancelInvoice', true);
    const payments = state.payments.activeFor(invoice.InvoiceId);
    if (invoice.ValidationStatus !== 'Canceled' && payments.length > 0) {
      throw new FusionHttpError(400, [errorDetail(`The invoice ${invoice.InvoiceNumber} can't be canceled: it has payments (${payments.map((p) => p.PaymentNumber).join(', ')}); void them first.`, 'AP_INVOICE_HAS_PAYMENTS')]);
    }
    const { alreadyCanceled } = state.postings.cancel(invoice, actor(principal));
    logger.info({ invoiceId: invoice.InvoiceId, alreadyCanceled }, 'invoice canceled');
    // A second cancel is answered like the first, changing nothing (a simulator choice: see README).
    const result = alreadyCanceled
      ? `The invoice ${invoice.InvoiceNumber} was already canceled on ${invoice.CanceledDate}.`
      : 'The current action Cancel Invoice has completed successfully.';
    sendJson(res, 200, { result }, ACTION_RESULT_TYPE);
  };

  const listHolds: Handler = async ({ res, url }) => sendCollection(res, collection(state.postings.holds.all(), url, 'invoiceHolds', (h) => h));
  const getHold: Handler = async ({ res, params }) => sendItem(res, 200, state.postings.holds.get(idParam(params[0])));
  const patchHold: Handler = async ({ req, res, params, principal }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const extra = Object.keys(body).filter((k) => k !== 'ReleaseName' && k !== 'ReleaseReason');
    const releaseName = body['ReleaseName'];
    const details = extra.map((k) => errorDetail(`The attribute ${k} can't be updated on an invoice hold.`, 'FND_REST_ATTR_NOT_UPDATABLE', k));
    if (typeof releaseName !== 'string' || releaseName.trim() === '') details.push(errorDetail('The attribute ReleaseName is required to release a hold.', 'FND_REST_REQUIRED_ATTR', 'ReleaseName'));
    if (details.length > 0) throw new FusionHttpError(400, details);
    const reason = typeof body['ReleaseReason'] === 'string' ? body['ReleaseReason'] : null;
    sendItem(res, 200, state.postings.release(idParam(params[0]), { releaseName: releaseName as string, releaseReason: reason, by: actor(principal) }));
  };

  return [
    fusionRoute('POST', '/invoices', createInvoice),
    fusionRoute('GET', '/invoices', listInvoices),
    fusionRoute('POST', '/invoices/action/validateInvoice', validateInvoice),
    fusionRoute('POST', '/invoices/action/cancelInvoice', cancelInvoice),
    fusionRoute('GET', '/invoices/{InvoiceId}', getInvoice),
    fusionRoute('GET', '/invoices/{InvoiceId}/child/invoiceLines', invoiceLines),
    fusionRoute('GET', '/invoiceHolds', listHolds),
    fusionRoute('GET', '/invoiceHolds/{HoldId}', getHold),
    fusionRoute('PATCH', '/invoiceHolds/{HoldId}', patchHold),
  ];
}
