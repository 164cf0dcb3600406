/** Who made a Fusion call: a Basic-auth user, an OAuth client (through its token), or nobody. */
export type Principal =
  | { readonly kind: 'user'; readonly name: string }
  | { readonly kind: 'client'; readonly name: string; readonly scope: string | null }
  | { readonly kind: 'anonymous'; readonly name: 'anonymous' };

/** 'user:finmesh', 'client:finmesh', 'anonymous': how the call log names a caller. */
export function principalLabel(p: Principal | null): string | null {
  if (p === null) return null;
  return p.kind === 'anonymous' ? 'anonymous' : `${p.kind}:${p.name}`;
}
