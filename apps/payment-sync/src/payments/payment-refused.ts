/**
 * A payment that maps but cannot be applied (overpayment, currency or legal-entity mismatch,
 * ambiguous invoice). Has the `problems` shape, so the HTTP layer answers 422 listing each; nothing
 * is written or published.
 */
export class PaymentRefused extends Error {
  override readonly name = 'PaymentRefused';

  constructor(
    readonly erpPaymentId: string,
    readonly problems: readonly { readonly path: string; readonly reason: string }[],
  ) {
    super(`Fusion payment ${erpPaymentId} cannot be applied: ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
  }
}
