import { Client } from 'pg';
import { advisoryLockKey } from './advisory-lock-key';

export interface SessionLeadershipOptions {
  readonly connectionString: string;
  /** Advisory-lock namespace and name, as {@link advisoryLockKey} takes them. */
  readonly namespace: string;
  readonly name: string;
  /** application_name of the session, so `pg_stat_activity` shows who holds the lock. */
  readonly applicationName: string;
  /** Told when the session (and with it the lock) is lost; the holder must stop leading. */
  readonly onLost?: (err: Error) => void;
}

/**
 * Leadership of one job across instances (the outbox relay of a schema, the poller of a
 * platform resource): a session-level advisory lock held on a dedicated connection.
 *
 * The lock lives exactly as long as the session, so a leader that crashes or loses its
 * connection frees it at once, and a standby takes over on its next try; nothing has to expire.
 * `pg_try_advisory_lock` never waits, so a standby keeps its own loop in hand.
 */
export class SessionLeadership {
  private session: Client | undefined;

  constructor(private readonly options: SessionLeadershipOptions) {}

  /** The session that holds the lock, while leading (LISTEN and the like may share it). */
  get leaderSession(): Client | undefined {
    return this.session;
  }

  get isLeader(): boolean {
    return this.session !== undefined;
  }

  /** Becomes the leader if nobody else is; true while leading. */
  async tryAcquire(): Promise<boolean> {
    if (this.session) return true;
    const session = new Client({ connectionString: this.options.connectionString, application_name: this.options.applicationName });
    // Until the session leads, a lost connection (a database restart, an administrator's
    // terminate) fails the pending query; without a listener pg would also raise it as an
    // unhandled 'error' event and take the process down.
    const beforeLeading = (): void => undefined;
    session.on('error', beforeLeading);
    await session.connect();
    try {
      const { rows } = await session.query<{ leader: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS leader', [
        advisoryLockKey(this.options.namespace, this.options.name),
      ]);
      if (!rows[0]?.leader) {
        await session.end();
        return false;
      }
    } catch (err) {
      await session.end().catch(() => undefined);
      throw err;
    }
    session.off('error', beforeLeading);
    session.on('error', (err) => {
      if (this.session !== session) return;
      this.session = undefined;
      session.end().catch(() => undefined);
      this.options.onLost?.(err);
    });
    this.session = session;
    return true;
  }

  /** Gives the lock up (ending the session releases it). */
  async release(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.end().catch(() => undefined);
  }
}
