/**
 * Coupa purchase order in a closing status -> PurchaseOrderClosed payload, or null.
 *
 * Shape: Coupa Core API "Purchase Orders API (/purchase_orders)" (header `po-number`, `status`,
 * `updated-at`, `updated-by: { login }`, `order-lines[]`) and "Purchase Order Lines API" (line
 * `type`, `quantity`, `total`, `invoiced` ("invoiced", decimal(32,6)), `account: { account-type:
 * { name } }`) on compass.coupa.com. The actions `PUT /api/purchase_orders/:id/cancel` and
 * `/close` put an order in these statuses. Which statuses close an order and with which reason:
 * see ./coupa-purchase-order-status.ts.
 *
 * Decided here:
 *  - Only what a closure needs is read: a cancelled order's lines are not checked as an issued
 *    order's are (prices, accounts' GL segments), so a closure is never blocked by a line finmesh
 *    would not need any more.
 *  - Fully invoiced: every line has `invoiced` >= its `quantity` (amount lines: >= its `total`).
 *    A line without `invoiced` makes it unknown (reason OTHER).
 *  - closedBy is `updated-by.login`; occurredAt is `updated-at` (the close is the last change).
 *  - Legal entity: the lines' chart of accounts, as for the issued order (po-sync keeps the
 *    legal entity recorded at issue anyway).
 */
import { decimal, QUANTITY_SCALE, MONEY_SCALE } from '@finmesh/contracts';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveId, resolveLegalEntity, type LegalEntityCandidate } from '../mapping/resolution';
import { coupaDecimal } from './coupa-fields';
import { coupaCloseReason, coupaOrderPhase } from './coupa-purchase-order-status';

/** Is every line fully invoiced? undefined when a line does not say. */
function fullyInvoiced(lines: readonly FieldReader[]): boolean | undefined {
  let all = true;
  for (const line of lines) {
    if (!line.has('invoiced')) return undefined;
    const amountLine = line.raw('type') === 'OrderAmountLine';
    const ordered = amountLine ? coupaDecimal(line, 'total', MONEY_SCALE) : coupaDecimal(line, 'quantity', QUANTITY_SCALE);
    const invoiced = coupaDecimal(line, 'invoiced', QUANTITY_SCALE);
    if (ordered === undefined || invoiced === undefined) return undefined;
    if (decimal(invoiced).compareTo(decimal(ordered)) < 0) all = false;
  }
  return all;
}

/**
 * PurchaseOrderClosed payload when the Coupa order is cancelled or closed; null when its status is
 * any other (an open, held or draft order is no closure). A MappingError for an unreadable payload.
 */
export function mapCoupaPurchaseOrderClosure(payload: unknown, ctx: MappingContext): Mapped<'PurchaseOrderClosed'> | null {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  const subject = `Coupa purchase order ${r && typeof r.raw('po-number') === 'string' ? String(r.raw('po-number')) : '(without po-number)'} closure`;
  if (!r) throw new MappingError(subject, problems.problems);
  const status = r.string('status');
  problems.throwIfAny(subject);
  if (coupaOrderPhase(status as string) !== 'CLOSED') return null;

  const poNumber = r.string('po-number');
  const purchaseOrderId = resolveId(ctx, r, 'po-number', 'purchase-order', poNumber, 'PROCUREMENT');
  const occurredAt = r.timestamp('updated-at');
  const lines = r.array('order-lines');
  const hints: LegalEntityCandidate[] = [];
  for (const line of lines) {
    const accountType = line.optionalObject('account')?.optionalObject('account-type');
    const chart = accountType?.string('name');
    if (accountType && chart !== undefined) hints.push({ path: accountType.pathOf('name'), kind: 'chart-of-accounts', value: chart });
  }
  const legalEntity = resolveLegalEntity(ctx, problems, hints, r.pathOf('order-lines'));
  const reason = coupaCloseReason(status as string, lines.length === 0 ? undefined : fullyInvoiced(lines));
  problems.throwIfAny(subject);

  const comment = reason === 'CANCELLED' ? 'Cancelled in Coupa' : `Closed in Coupa${reason === 'SHORT_CLOSED' ? ' before every line was invoiced' : ''}`;
  return {
    payload: {
      purchaseOrderId: purchaseOrderId ?? '',
      poNumber: poNumber ?? '',
      reason: reason ?? 'OTHER',
      comment,
      closedBy: r.optionalObject('updated-by')?.optionalString('login') ?? null,
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: occurredAt as Date,
  };
}
