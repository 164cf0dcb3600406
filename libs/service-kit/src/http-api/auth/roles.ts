/** Roles a finmesh API caller can hold (the `roles` claim of its JWT). */
export const ROLES = [
  'procurement-platform',
  'ap-platform',
  'erp-platform',
  'finance-approver',
  'ops',
  'reporting-reader',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
