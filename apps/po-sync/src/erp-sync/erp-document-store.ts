import type { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

export type ErpDocumentKind = 'PURCHASE_ORDER' | 'RECEIPT';
export type ErpAttemptOutcome = 'IN_FLIGHT' | 'CREATED' | 'FOUND_EXISTING' | 'REJECTED' | 'TRANSIENT_FAILED' | 'AUTH_REFUSED' | 'NOT_SENT';

export interface ErpDocument {
  readonly kind: ErpDocumentKind;
  readonly finmeshId: string;
  readonly purchaseOrderId: string;
  readonly status: 'CREATED' | 'FOUND_EXISTING' | 'NOT_SENT';
  readonly erpId: string | null;
  readonly erpNumber: string | null;
  readonly detail: string | null;
}

export interface ErpAttempt {
  readonly attempt: number;
  readonly outcome: ErpAttemptOutcome;
  readonly httpStatus: number | null;
  readonly erpCode: string | null;
  readonly erpMessage: string | null;
}

/**
 * SQL for what po-sync created in the ERP (erp_documents: the ERP's ids per PO and receipt) and
 * the journal of attempts (erp_sync_attempts). `startAttempt` must run in a transaction of its own
 * that commits before the ERP call (see ErpSyncService).
 */
export class ErpDocumentStore {
  async find(db: Db, kind: ErpDocumentKind, finmeshId: string): Promise<ErpDocument | undefined> {
    const rows = (await db.query(
      `SELECT document_kind, finmesh_id, purchase_order_id, status, erp_id, erp_number, detail FROM erp_documents WHERE document_kind = $1 AND finmesh_id = $2`,
      [kind, finmeshId],
    )) as { document_kind: ErpDocumentKind; finmesh_id: string; purchase_order_id: string; status: ErpDocument['status']; erp_id: string | null; erp_number: string | null; detail: string | null }[];
    const r = rows[0];
    return r && { kind: r.document_kind, finmeshId: r.finmesh_id, purchaseOrderId: r.purchase_order_id, status: r.status, erpId: r.erp_id, erpNumber: r.erp_number, detail: r.detail };
  }

  async record(db: Db, d: ErpDocument & { eventId: string }): Promise<void> {
    await db.query(
      `INSERT INTO erp_documents (document_kind, finmesh_id, purchase_order_id, status, erp_id, erp_number, detail, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [d.kind, d.finmeshId, d.purchaseOrderId, d.status, d.erpId, d.erpNumber, d.detail, d.eventId],
    );
  }

  async attempts(db: Db, kind: ErpDocumentKind, finmeshId: string): Promise<ErpAttempt[]> {
    const rows = (await db.query(
      `SELECT attempt, outcome, http_status, erp_code, erp_message FROM erp_sync_attempts WHERE document_kind = $1 AND finmesh_id = $2 ORDER BY attempt`,
      [kind, finmeshId],
    )) as { attempt: number; outcome: ErpAttemptOutcome; http_status: number | null; erp_code: string | null; erp_message: string | null }[];
    return rows.map((r) => ({ attempt: r.attempt, outcome: r.outcome, httpStatus: r.http_status, erpCode: r.erp_code, erpMessage: r.erp_message }));
  }

  async startAttempt(db: Db, kind: ErpDocumentKind, finmeshId: string): Promise<number> {
    const rows = (await db.query(
      `INSERT INTO erp_sync_attempts (document_kind, finmesh_id, attempt, outcome)
       SELECT $1, $2, coalesce(max(attempt), 0) + 1, 'IN_FLIGHT' FROM erp_sync_attempts WHERE document_kind = $1 AND finmesh_id = $2
       RETURNING attempt`,
      [kind, finmeshId],
    )) as { attempt: number }[];
    return rows[0]!.attempt;
  }

  async finishAttempt(db: Db, kind: ErpDocumentKind, finmeshId: string, attempt: number, r: { outcome: ErpAttemptOutcome; httpStatus?: number | null; erpCode?: string | null; erpMessage?: string | null }): Promise<void> {
    await db.query(
      `UPDATE erp_sync_attempts SET finished_at = now(), outcome = $4, http_status = $5, erp_code = $6, erp_message = $7
        WHERE document_kind = $1 AND finmesh_id = $2 AND attempt = $3`,
      [kind, finmeshId, attempt, r.outcome, r.httpStatus ?? null, r.erpCode ?? null, r.erpMessage ?? null],
    );
  }
}
