import { z } from 'zod';

/** The reporting projector's rebuild status (GET /v1/admin/rebuilds/{id}). */
export const rebuildStatusSchema = z.object({
  rebuildId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  eventsDone: z.number(),
  eventsTotal: z.number(),
  ratePerSec: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  // The projector names a table `table` (its TableChecksum); `name` is the documented field. Either is accepted.
  tables: z.array(
    z
      .object({ name: z.string().optional(), table: z.string().optional(), rows: z.number(), checksum: z.string() })
      .refine((t) => t.name !== undefined || t.table !== undefined, 'a table needs a name')
      .transform((t) => ({ name: t.name ?? t.table ?? '', rows: t.rows, checksum: t.checksum })),
  ),
});
export type RebuildStatus = z.infer<typeof rebuildStatusSchema>;

/** The projector answered, but not with what the CLI needs; the message says what to check. */
export class ProjectorRequestError extends Error {
  override readonly name = 'ProjectorRequestError';
}

/** Starts and follows reporting rebuilds through the projector's admin API. */
export class RebuildClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async start(): Promise<string> {
    const body = await this.request('POST', '/v1/admin/rebuilds', 202);
    const parsed = z.object({ rebuildId: z.string().min(1) }).safeParse(body);
    if (!parsed.success) throw new ProjectorRequestError(`POST ${this.baseUrl}/v1/admin/rebuilds answered without a rebuildId`);
    return parsed.data.rebuildId;
  }

  async status(rebuildId: string): Promise<RebuildStatus> {
    const path = `/v1/admin/rebuilds/${encodeURIComponent(rebuildId)}`;
    const parsed = rebuildStatusSchema.safeParse(await this.request('GET', path, 200));
    if (!parsed.success) throw new ProjectorRequestError(`GET ${this.baseUrl}${path} answered an unexpected shape: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  private async request(method: string, path: string, expected: number): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new ProjectorRequestError(
        `the reporting projector at ${this.baseUrl} is unreachable (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}); is it running (npm start)? Use --projector-url / FINMESH_PROJECTOR_URL for another address`,
      );
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw new ProjectorRequestError(`${method} ${this.baseUrl}${path} refused the token (HTTP ${res.status}): it needs a valid token with role ops (--token / FINMESH_TOKEN; npm run token -- ops-console ops)`);
    }
    if (res.status === 409) throw new ProjectorRequestError(`the reporting projector refused to start a rebuild: ${conflictMessage(text)}`);
    if (res.status !== expected) throw new ProjectorRequestError(`${method} ${this.baseUrl}${path} answered HTTP ${res.status}: ${text.slice(0, 500)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ProjectorRequestError(`${method} ${this.baseUrl}${path} answered non-JSON: ${text.slice(0, 200)}`);
    }
  }
}

/** The projector's own reason (NestJS error body `{ message }`), else the raw text. */
function conflictMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: show the text
  }
  return text.slice(0, 300);
}
