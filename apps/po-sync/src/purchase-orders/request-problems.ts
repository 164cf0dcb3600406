/** A request body finmesh cannot accept, field by field: answered 422 by the service kit's filter. */
export class RequestProblems extends Error {
  constructor(readonly problems: readonly { readonly path: string; readonly reason: string }[]) {
    super(`request cannot be accepted: ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
    this.name = 'RequestProblems';
  }
}
