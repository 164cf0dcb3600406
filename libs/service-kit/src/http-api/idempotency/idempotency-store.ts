import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type ClaimResult =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'mismatch' };

/**
 * Idempotency keys of a service's write API, scoped per client (two platforms may pick the same
 * key). A key first claims a row; the handler's response is then stored, and a repeat of the same
 * request gets that response again. The same key with a different request is refused.
 */
export class IdempotencyStore {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.table = `"${schema}".finmesh_idempotency`;
  }

  async ensureTable(): Promise<void> {
    await this.dataSource.query(`
      CREATE TABLE IF NOT EXISTS ${this.table} (
        client_id     text        NOT NULL,
        idempotency_key text      NOT NULL,
        request_hash  text        NOT NULL,
        status        integer,
        response      jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz,
        PRIMARY KEY (client_id, idempotency_key)
      )`);
  }

  static hash(method: string, path: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');
  }

  async claim(clientId: string, key: string, requestHash: string): Promise<ClaimResult> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO ${this.table} (client_id, idempotency_key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
      [clientId, key, requestHash],
    )) as unknown[];
    if (inserted.length === 1) return { kind: 'claimed' };
    const [row] = (await this.dataSource.query(
      `SELECT request_hash, status, response FROM ${this.table} WHERE client_id = $1 AND idempotency_key = $2`,
      [clientId, key],
    )) as { request_hash: string; status: number | null; response: unknown }[];
    if (!row) return this.claim(clientId, key, requestHash); // released meanwhile: try again
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === null) return { kind: 'in-progress' };
    return { kind: 'replay', response: { status: row.status, body: row.response } };
  }

  async complete(clientId: string, key: string, response: StoredResponse): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET status = $3, response = $4::jsonb, completed_at = now() WHERE client_id = $1 AND idempotency_key = $2`,
      [clientId, key, response.status, JSON.stringify(response.body ?? null)],
    );
  }

  /** A failed request frees its key so the client can retry it. */
  async release(clientId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE client_id = $1 AND idempotency_key = $2 AND status IS NULL`, [clientId, key]);
  }
}
