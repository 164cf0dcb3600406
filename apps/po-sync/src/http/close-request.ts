import type { PurchaseOrderCloseReason } from '@finmesh/contracts';
import { CONTRACT_MAX_LENGTH, optional, text } from '@finmesh/adapters';
import { z } from 'zod/v4';

const CLOSE_REASONS = ['COMPLETED', 'CANCELLED', 'SHORT_CLOSED', 'EXPIRED', 'OTHER'] as const satisfies readonly PurchaseOrderCloseReason[];

/** `POST /v1/procurement/purchase-orders/:id/close`: `{ reason, comment?, closedBy? }`. */
export const CLOSE_REQUEST_SCHEMA = z
  .looseObject({
    reason: z.enum(CLOSE_REASONS),
    comment: optional(text(CONTRACT_MAX_LENGTH.text)),
    closedBy: optional(text(CONTRACT_MAX_LENGTH.id)),
  })
  .meta({ title: 'Purchase order close', description: 'Why the order is closed; closedBy defaults to the calling platform client.' });

export type CloseRequestBody = z.infer<typeof CLOSE_REQUEST_SCHEMA>;

export interface CloseRequest {
  readonly reason: PurchaseOrderCloseReason;
  readonly comment: string | null;
  readonly closedBy: string | null;
}

/** A body the request schema admitted, with blanks and absences as null. */
export function closeRequestOf(body: CloseRequestBody): CloseRequest {
  const given = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v);
  return { reason: body.reason, comment: given(body.comment), closedBy: given(body.closedBy) };
}
