import { FUSION_BASE_PATH, ACTION_RESULT_TYPE, fusionRoute, sendCollection, sendItem, type Handler, type Route } from '../http/router';
import { readJsonObject, sendJson } from '../http-io';
import { collection, expandedChildren } from '../query/collection';
import { purchaseOrderHeader, validateDraftPurchaseOrder, type PurchaseOrder } from '../resources/purchase-orders';
import { receiptHeader } from '../resources/receipts';
import { idParam, type SimulatorContext } from './context';

/** draftPurchaseOrders (create, submit), purchaseOrders (read) and receivingReceiptRequests (create, read). */
export function purchasingRoutes(ctx: SimulatorContext): Route[] {
  const { state, settings, logger } = ctx;
  const render = (withLines: boolean) => (o: PurchaseOrder) => (withLines ? o : purchaseOrderHeader(o));

  const createDraft: Handler = async ({ req, res, url }) => {
    const order = state.purchaseOrders.createDraft(validateDraftPurchaseOrder(await readJsonObject(req, settings.bodyLimit)));
    logger.info({ poHeaderId: order.POHeaderId, orderNumber: order.OrderNumber }, 'draft purchase order created');
    res.setHeader('location', `${url.origin}${FUSION_BASE_PATH}/draftPurchaseOrders/${order.POHeaderId}`);
    sendItem(res, 201, order);
  };
  const listDrafts: Handler = async ({ res, url }) => {
    const withLines = expandedChildren(url).has('lines');
    sendCollection(res, collection(state.purchaseOrders.drafts().map(purchaseOrderHeader), url, 'draftPurchaseOrders', (h) => render(withLines)(state.purchaseOrders.get(h.POHeaderId))));
  };
  const getDraft: Handler = async ({ res, url, params }) => {
    const order = state.purchaseOrders.drafts().find((o) => o.POHeaderId === idParam(params[0])) ?? state.purchaseOrders.get(-1);
    sendItem(res, 200, render(expandedChildren(url).has('lines'))(order));
  };
  const submit: Handler = async ({ res, params }) => {
    const order = state.purchaseOrders.submit(idParam(params[0]));
    logger.info({ orderNumber: order.OrderNumber }, 'purchase order submitted (approved at once)');
    sendJson(res, 200, { result: `The purchase order ${order.OrderNumber} was submitted. Status: ${order.Status}.` }, ACTION_RESULT_TYPE);
  };
  const listOpen: Handler = async ({ res, url }) => {
    const withLines = expandedChildren(url).has('lines');
    sendCollection(res, collection(state.purchaseOrders.open().map(purchaseOrderHeader), url, 'purchaseOrders', (h) => render(withLines)(state.purchaseOrders.get(h.POHeaderId))));
  };
  const getOpen: Handler = async ({ res, url, params }) => {
    const order = state.purchaseOrders.open().find((o) => o.POHeaderId === idParam(params[0])) ?? state.purchaseOrders.get(-1);
    sendItem(res, 200, render(expandedChildren(url).has('lines'))(order));
  };
  const lines: Handler = async ({ res, url, params }) => sendCollection(res, collection(state.purchaseOrders.get(idParam(params[0])).lines, url, 'lines', (l) => l));

  const createReceipt: Handler = async ({ req, res, url }) => {
    const receipt = state.receipts.create(await readJsonObject(req, settings.bodyLimit), settings.purchaseOrderCheck === 'enforce');
    logger.info({ headerInterfaceId: receipt.HeaderInterfaceId, lines: receipt.lines.length }, 'receipt processed');
    res.setHeader('location', `${url.origin}${FUSION_BASE_PATH}/receivingReceiptRequests/${receipt.HeaderInterfaceId}`);
    sendItem(res, 201, receipt);
  };
  const listReceipts: Handler = async ({ res, url }) => {
    const withLines = expandedChildren(url).has('lines');
    sendCollection(res, collection(state.receipts.all().map(receiptHeader), url, 'receivingReceiptRequests', (h) => (withLines ? state.receipts.get(h.HeaderInterfaceId) : h)));
  };
  const getReceipt: Handler = async ({ res, url, params }) => {
    const r = state.receipts.get(idParam(params[0]));
    sendItem(res, 200, expandedChildren(url).has('lines') ? r : receiptHeader(r));
  };
  const receiptLines: Handler = async ({ res, url, params }) => sendCollection(res, collection(state.receipts.get(idParam(params[0])).lines, url, 'lines', (l) => l));

  return [
    fusionRoute('POST', '/draftPurchaseOrders', createDraft),
    fusionRoute('GET', '/draftPurchaseOrders', listDrafts),
    fusionRoute('GET', '/draftPurchaseOrders/{POHeaderId}', getDraft),
    fusionRoute('GET', '/draftPurchaseOrders/{POHeaderId}/child/lines', lines),
    fusionRoute('POST', '/draftPurchaseOrders/{POHeaderId}/action/submit', submit),
    fusionRoute('GET', '/purchaseOrders', listOpen),
    fusionRoute('GET', '/purchaseOrders/{POHeaderId}', getOpen),
    fusionRoute('GET', '/purchaseOrders/{POHeaderId}/child/lines', lines),
    fusionRoute('POST', '/receivingReceiptRequests', createReceipt),
    fusionRoute('GET', '/receivingReceiptRequests', listReceipts),
    fusionRoute('GET', '/receivingReceiptRequests/{HeaderInterfaceId}', getReceipt),
    fusionRoute('GET', '/receivingReceiptRequests/{HeaderInterfaceId}/child/lines', receiptLines),
  ];
}
