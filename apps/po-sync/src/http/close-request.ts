import type { PurchaseOrderCloseReason } from '@finmesh/contracts';
import { RequestProblems } from '../purchase-orders/request-problems';

const CLOSE_REASONS: readonly PurchaseOrderCloseReason[] = ['COMPLETED', 'CANCELLED', 'SHORT_CLOSED', 'EXPIRED', 'OTHER'];

export interface CloseRequest {
  readonly reason: PurchaseOrderCloseReason;
  readonly comment: string | null;
  readonly closedBy: string | null;
}

/** `{ reason, comment?, closedBy? }`; every bad field is reported at once (422). */
export function parseCloseRequest(body: unknown): CloseRequest {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!b) throw new RequestProblems([{ path: '(root)', reason: 'must be a JSON object { reason, comment?, closedBy? }' }]);
  const problems: { path: string; reason: string }[] = [];
  const reason = b['reason'];
  if (typeof reason !== 'string' || !(CLOSE_REASONS as readonly string[]).includes(reason)) {
    problems.push({ path: 'reason', reason: `must be one of ${CLOSE_REASONS.join(', ')}, got ${JSON.stringify(reason ?? null)}` });
  }
  for (const key of ['comment', 'closedBy']) {
    const v = b[key];
    if (v !== undefined && v !== null && typeof v !== 'string') problems.push({ path: key, reason: 'must be a string when given' });
  }
  if (problems.length > 0) throw new RequestProblems(problems);
  return {
    reason: reason as PurchaseOrderCloseReason,
    comment: typeof b['comment'] === 'string' ? b['comment'] : null,
    closedBy: typeof b['closedBy'] === 'string' ? b['closedBy'] : null,
  };
}
