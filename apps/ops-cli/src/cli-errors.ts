/** Exit codes of every finmesh command (documented in apps/ops-cli/README.md). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad usage: a wrong option value, a missing confirmation, invalid settings. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command ran but what it checked or did failed; the message says what to do. Exit 1. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}
