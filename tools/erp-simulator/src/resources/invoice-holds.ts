import { errorDetail, FusionHttpError } from '../fusion-errors';
import { timestamp } from './clock';
import { firstKey, sequence } from './ids';

/**
 * The `invoiceHolds` resource: one row per hold placed on an invoice, released by a PATCH with a
 * ReleaseName (Oracle's "Release an Invoice Hold"). Hold names are free text here; Payables'
 * predefined ones include 'Qty Rec' (quantity billed exceeds quantity received), 'Qty Ord',
 * 'Amt Ord', 'Amt Rec', 'Price' (matching holds) and 'Amount' (Oracle's example).
 */
export interface InvoiceHold {
  readonly HoldId: number;
  readonly InvoiceId: number | null;
  readonly InvoiceNumber: string;
  readonly BusinessUnit: string;
  readonly Supplier: string | null;
  readonly LineHeld: number | null;
  readonly HoldName: string;
  readonly HoldReason: string | null;
  readonly HoldDate: string;
  readonly HeldBy: string;
  ReleaseName: string | null;
  ReleaseReason: string | null;
  ReleaseDate: string | null;
  readonly CreationDate: string;
  LastUpdateDate: string;
  readonly PurchaseOrderNumber: string | null;
  readonly PurchaseOrderLineNumber: number | null;
}

interface ArmedHold {
  readonly invoiceNumber: string;
  readonly holdName: string;
  readonly holdReason: string | null;
  readonly lineHeld: number | null;
  readonly heldBy: string;
}

interface HeldInvoice {
  readonly InvoiceId: number;
  readonly InvoiceNumber: string;
  readonly BusinessUnit: string;
  readonly Supplier: string | null;
  readonly PurchaseOrderNumber: string | null;
  readonly invoiceLines: ReadonlyArray<{ LineNumber: number; PurchaseOrderNumber?: string; PurchaseOrderLineNumber?: number }>;
}

const nextHoldId = sequence('invoiceHolds', firstKey(4));

export class HoldStore {
  private readonly holds: InvoiceHold[] = [];
  private armed: ArmedHold[] = [];

  arm(invoiceNumber: string, hold: { holdName: string; holdReason: string | null; lineHeld: number | null; heldBy: string }): void {
    this.armed.push({ invoiceNumber, ...hold });
  }

  /** Places the holds armed for this invoice number (at validation). */
  placeArmed(invoice: HeldInvoice, at: Date): void {
    const mine = this.armed.filter((a) => a.invoiceNumber === invoice.InvoiceNumber);
    if (mine.length === 0) return;
    this.armed = this.armed.filter((a) => a.invoiceNumber !== invoice.InvoiceNumber);
    for (const a of mine) this.place(invoice, a, at);
  }

  place(invoice: HeldInvoice, hold: { holdName: string; holdReason: string | null; lineHeld: number | null; heldBy: string }, at: Date): InvoiceHold {
    const line = hold.lineHeld === null ? undefined : invoice.invoiceLines.find((l) => l.LineNumber === hold.lineHeld);
    const stamp = timestamp(at);
    const row: InvoiceHold = {
      HoldId: nextHoldId(),
      InvoiceId: invoice.InvoiceId,
      InvoiceNumber: invoice.InvoiceNumber,
      BusinessUnit: invoice.BusinessUnit,
      Supplier: invoice.Supplier,
      LineHeld: hold.lineHeld,
      HoldName: hold.holdName,
      HoldReason: hold.holdReason,
      HoldDate: stamp,
      HeldBy: hold.heldBy,
      ReleaseName: null,
      ReleaseReason: null,
      ReleaseDate: null,
      CreationDate: stamp,
      LastUpdateDate: stamp,
      PurchaseOrderNumber: line?.PurchaseOrderNumber ?? (line ? invoice.PurchaseOrderNumber : null),
      PurchaseOrderLineNumber: line?.PurchaseOrderLineNumber ?? null,
    };
    this.holds.push(row);
    return row;
  }

  release(holdId: number, release: { releaseName: string; releaseReason: string | null }): InvoiceHold {
    const hold = this.get(holdId);
    if (hold.ReleaseName !== null) throw new FusionHttpError(400, [errorDetail(`The hold ${holdId} was already released (${hold.ReleaseName}).`, 'AP_HOLD_ALREADY_RELEASED')]);
    const now = timestamp();
    hold.ReleaseName = release.releaseName;
    hold.ReleaseReason = release.releaseReason ?? release.releaseName;
    hold.ReleaseDate = now;
    hold.LastUpdateDate = now;
    return hold;
  }

  get(holdId: number): InvoiceHold {
    const hold = this.holds.find((h) => h.HoldId === holdId);
    if (!hold) throw new FusionHttpError(404, [errorDetail(`No invoice hold with HoldId ${holdId}.`, 'HOLD_NOT_FOUND')]);
    return hold;
  }

  openFor(invoiceId: number): readonly InvoiceHold[] {
    return this.holds.filter((h) => h.InvoiceId === invoiceId && h.ReleaseName === null);
  }

  all(): readonly InvoiceHold[] {
    return [...this.holds];
  }

  pendingArmed(): readonly ArmedHold[] {
    return [...this.armed];
  }

  clear(): void {
    this.holds.length = 0;
    this.armed = [];
  }
}
