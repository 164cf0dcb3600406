import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import type { MatchExceptionDetail } from '@finmesh/contracts';
import { CurrentCaller, DatabaseConnection, mayActOn, Roles, type Caller } from '@finmesh/service-kit';
import { erpCancellations, type ErpCancellation } from '../posting/erp-cancellation-store';
import { postingAttempts, type PostingAttempt } from '../posting/posting-attempts';
import type { InvoiceLifecycleStatus } from './invoice-status';
import { invoiceStore } from './invoice-store';

export interface InvoiceView {
  readonly invoiceId: string;
  readonly supplierId: string;
  readonly supplierInvoiceNumber: string;
  readonly documentType: string;
  readonly invoiceDate: string;
  readonly purchaseOrderId: string | null;
  readonly legalEntity: string;
  readonly currency: string;
  readonly grossAmount: string;
  readonly status: InvoiceLifecycleStatus;
  readonly matchResult: unknown;
  readonly approval: unknown;
  readonly exceptions: readonly {
    readonly exceptionId: string;
    readonly status: string;
    readonly kind: string;
    readonly reasons: readonly MatchExceptionDetail[];
    readonly raisedAt: string;
    readonly ageSeconds: number;
    readonly resolvedAt: string | null;
    readonly resolution: string | null;
    readonly resolvedBy: string | null;
    readonly resolutionReason: string | null;
  }[];
  readonly posting: {
    readonly erpDocumentId: string | null;
    readonly erpDocumentNumber: string | null;
    readonly accountingDate: string | null;
    readonly attempts: readonly PostingAttempt[];
    /** The ERP cancellation of an invoice voided in AP or superseded by a correction after posting (null when none was asked for). */
    readonly cancellation: ErpCancellation | null;
  };
  readonly settledAmount: string;
  /**
   * A correction after posting (invoice-correction.ts): on a replacement, the invoice it
   * supersedes and that invoice's ERP cancellation (while it is missing or REFUSED the replacement
   * stays WAITING_FOR_ERP_CANCEL, and this says why); on a superseded invoice, its replacement.
   * `erpInvoiceNumber` is the number the invoice is (to be) posted with.
   */
  readonly correction: {
    readonly erpInvoiceNumber: string;
    readonly supersedesInvoiceId: string | null;
    readonly supersededCancellation: ErpCancellation | null;
    readonly supersededByInvoiceId: string | null;
  };
}

/** One invoice as invoice-sync sees it: status, match result, exceptions and posting history. */
@Controller('v1/invoices')
export class InvoiceQueryController {
  constructor(private readonly database: DatabaseConnection) {}

  @Get(':id')
  @Roles('ap-platform', 'erp-platform', 'finance-approver', 'ops', 'reporting-reader')
  async get(@Param('id') invoiceId: string, @CurrentCaller() caller: Caller): Promise<InvoiceView> {
    const db = this.database.dataSource.manager;
    const stored = await invoiceStore.find(db, invoiceId);
    // Another legal entity's invoice is, to this caller, not there.
    if (!stored || !mayActOn(caller.legalEntities, stored.legalEntity.code)) throw new NotFoundException(`invoice ${invoiceId} is not known to invoice-sync`);
    const extra = await invoiceStore.decisionDetails(db, invoiceId);
    const now = Date.now();
    const invoice = stored.invoice;
    return {
      invoiceId,
      supplierId: invoice.supplierId,
      supplierInvoiceNumber: invoice.supplierInvoiceNumber,
      documentType: invoice.documentType,
      invoiceDate: invoice.invoiceDate,
      purchaseOrderId: invoice.purchaseOrderId,
      legalEntity: stored.legalEntity.code,
      currency: invoice.currency,
      grossAmount: stored.grossAmount,
      status: stored.status,
      matchResult: extra?.matchResult ?? null,
      approval: extra?.approval ?? null,
      exceptions: (await invoiceStore.exceptions(db, invoiceId)).map((e) => ({
        exceptionId: e.exceptionId,
        status: e.status,
        kind: e.kind,
        reasons: e.reasons,
        raisedAt: e.raisedAt.toISOString(),
        // Aging: how long the exception has been (or was) open.
        ageSeconds: Math.round(((e.resolvedAt?.getTime() ?? now) - e.raisedAt.getTime()) / 1000),
        resolvedAt: e.resolvedAt?.toISOString() ?? null,
        resolution: e.resolution,
        resolvedBy: e.resolvedBy,
        resolutionReason: e.resolutionReason,
      })),
      posting: {
        erpDocumentId: stored.erpDocumentId,
        erpDocumentNumber: extra?.erpDocumentNumber ?? null,
        accountingDate: extra?.accountingDate ?? null,
        attempts: await postingAttempts.list(db, invoiceId),
        cancellation: (await erpCancellations.find(db, invoiceId)) ?? null,
      },
      settledAmount: stored.settledAmount,
      correction: {
        erpInvoiceNumber: stored.erpInvoiceNumber,
        supersedesInvoiceId: stored.supersedesInvoiceId,
        supersededCancellation: stored.supersedesInvoiceId === null ? null : ((await erpCancellations.find(db, stored.supersedesInvoiceId)) ?? null),
        supersededByInvoiceId: (await invoiceStore.replacementOf(db, invoiceId))?.invoiceId ?? null,
      },
    };
  }
}
