import type { AuditSummary } from '@finmesh/messaging';
import type { SupplierMaster } from './supplier-master';
import type { StoredSupplier } from './supplier-store';
import type { SupplierEventDecision } from './supplier-transitions';

/** The audited view of a supplier: status and hold, never bank accounts or tax ids. */
export function supplierAuditSummary(s: StoredSupplier | SupplierMaster, version: number): AuditSummary {
  return {
    supplierNumber: s.supplierNumber,
    legalName: s.record.legalName,
    status: s.record.status,
    blockScope: s.block?.scope ?? null,
    blockReasonCode: s.block?.reasonCode ?? null,
    version,
  };
}

/** The transition an applied master made, named for the audit trail. */
export function supplierAuditAction(created: boolean, decision: SupplierEventDecision): string {
  if (decision.blocked) return 'supplier.blocked';
  if (decision.unblockedScope) return 'supplier.unblocked';
  return created ? 'supplier.created' : 'supplier.updated';
}
