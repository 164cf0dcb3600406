import { Body, ConflictException, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import type { InvoiceApproved } from '@finmesh/contracts';
import { CONTRACT_MAX_LENGTH, requiredText } from '@finmesh/adapters';
import { AuditTrail, CurrentCaller, DatabaseConnection, Idempotent, legalEntityCheckOf, MessagingRuntime, RequestSchema, Roles, type Caller } from '@finmesh/service-kit';
import { z } from 'zod/v4';
import { invoiceTransition } from './invoice-audit';
import { invoiceEnvelope } from './invoice-events';
import { RESOLVABLE_STATUSES, type InvoiceLifecycleStatus } from './invoice-status';
import { invoiceStore } from './invoice-store';

export const RESOLUTION_ACTIONS = ['override-approve', 'reject'] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

/** `{ action, reason }`: the decision and its justification for the audit trail. */
export const RESOLUTION_REQUEST_SCHEMA = z
  .looseObject({ action: z.enum(RESOLUTION_ACTIONS), reason: requiredText(CONTRACT_MAX_LENGTH.text) })
  .meta({ title: 'Invoice resolution', description: 'override-approve or reject an invoice in an exception or hold state, with the reason.' });

export type ResolutionRequest = z.infer<typeof RESOLUTION_REQUEST_SCHEMA>;

export interface ResolutionResult {
  readonly invoiceId: string;
  readonly status: InvoiceLifecycleStatus;
  readonly action: ResolutionAction;
  readonly resolvedExceptionIds: readonly string[];
}

/**
 * A finance approver decides an invoice that validation could not: override-approve (posted
 * despite its exceptions; InvoiceApproved mode OVERRIDE naming the approver, the reason and the
 * exceptions overridden) or reject (status REJECTED; no event exists for it in the contracts).
 * Only invoices in an exception or hold state can be decided (409 otherwise), always with a reason.
 */
@Controller('v1/invoices')
export class InvoiceResolutionController {
  constructor(
    private readonly database: DatabaseConnection,
    @Inject(MessagingRuntime) private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
  ) {}

  @Post(':id/resolution')
  @HttpCode(200)
  @Roles('finance-approver')
  @Idempotent()
  @RequestSchema(RESOLUTION_REQUEST_SCHEMA, 'The decision on the invoice and its justification.')
  async resolve(@Param('id') invoiceId: string, @Body() body: ResolutionRequest, @CurrentCaller() caller: Caller): Promise<ResolutionResult> {
    const chosen = body.action;
    const reason = body.reason.trim();

    return this.database.dataSource.transaction(async (tx) => {
      const stored = await invoiceStore.find(tx, invoiceId, true);
      if (!stored) throw new NotFoundException(`invoice ${invoiceId} is not known to invoice-sync`);
      legalEntityCheckOf(caller)(stored.legalEntity.code, `invoice ${invoiceId}`);
      if (!RESOLVABLE_STATUSES.includes(stored.status)) {
        throw new ConflictException(`invoice ${invoiceId} is ${stored.status}; only invoices in ${RESOLVABLE_STATUSES.join(', ')} can be resolved`);
      }
      if (chosen === 'reject') {
        const resolved = await invoiceStore.resolveOpenExceptions(tx, invoiceId, { kind: 'REJECTED', by: caller.clientId, reason });
        await invoiceStore.setStatus(tx, invoiceId, 'REJECTED', { approval: { mode: 'REJECTED', by: caller.clientId, reason, at: new Date().toISOString() } });
        // No event exists for a rejection (contract gap), so the audit row has no causing event.
        await this.audit.record(tx, invoiceTransition(stored, 'invoice.rejected', { status: 'REJECTED', reason, resolvedExceptionIds: resolved }, null, caller.clientId));
        return { invoiceId, status: 'REJECTED', action: chosen, resolvedExceptionIds: resolved };
      }
      const overridden = await invoiceStore.resolveOpenExceptions(tx, invoiceId, { kind: 'OVERRIDE_APPROVED', by: caller.clientId, reason });
      await invoiceStore.setStatus(tx, invoiceId, 'APPROVED', {
        approval: { mode: 'OVERRIDE', approvedBy: caller.clientId, reason, overriddenExceptionIds: overridden, approvedAt: new Date().toISOString() },
      });
      const approved: InvoiceApproved = {
        envelope: invoiceEnvelope('InvoiceApproved', stored, null),
        invoiceId,
        approvedBy: caller.clientId,
        mode: 'OVERRIDE',
        reason,
        overriddenExceptionIds: overridden,
      };
      await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceApproved', key: invoiceId, value: approved }]);
      await this.audit.record(
        tx,
        invoiceTransition(stored, 'invoice.override_approved', { status: 'APPROVED', approvalMode: 'OVERRIDE', reason, overriddenExceptionIds: overridden }, approved.envelope.eventId, caller.clientId),
      );
      return { invoiceId, status: 'APPROVED', action: chosen, resolvedExceptionIds: overridden };
    });
  }
}
