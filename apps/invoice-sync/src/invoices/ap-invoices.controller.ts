import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { COUPA_INVOICE_SCHEMA } from '@finmesh/adapters';
import { CurrentCaller, DatabaseConnection, Idempotent, legalEntityCheckOf, RequestSchema, Roles, type Caller } from '@finmesh/service-kit';
import { ApInvoiceIntake, type InvoiceAccepted } from './ap-invoice-intake';

export type { InvoiceAccepted } from './ap-invoice-intake';

/**
 * Ingress of the AP automation platform: a Coupa invoice, as its Invoices API returns it. A
 * capture is checked against its request schema, mapped to the canonical InvoiceReceived, stored,
 * published and decided (validated and matched) in one transaction, the same decision an invoice
 * from the AP ingress topic gets; the answer is 202 with the id and the status after the decision.
 * An invoice of a legal entity outside the caller's token scope is refused with 403.
 * A newer version of a stored invoice is a correction, a `voided` one a cancellation (see
 * ApInvoiceIntake for both). A payload that cannot be mapped is refused with 422 listing every bad
 * field, before anything is written; a void of an unknown invoice 404; a correction or void the
 * invoice's state does not allow 409 with the reason.
 */
@Controller('v1/ap/invoices')
export class ApInvoicesController {
  constructor(
    private readonly database: DatabaseConnection,
    private readonly intake: ApInvoiceIntake,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('ap-platform')
  @Idempotent()
  @RequestSchema(COUPA_INVOICE_SCHEMA, 'A Coupa invoice as the Invoices API returns it.')
  async receive(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<InvoiceAccepted> {
    return this.database.dataSource.transaction((tx) => this.intake.receive(tx, body, caller.clientId, legalEntityCheckOf(caller)));
  }
}
