import type * as avro from 'avsc';
import type { CompatibilityMode } from '../schema/compatibility';

/** A registry answer that is not a success, with the registry's own error code and message. */
export class RegistryRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly registryCode: number | undefined,
    readonly registryMessage: string,
  ) {
    super(`${method} ${path} answered HTTP ${status}${registryCode ? ` (${registryCode})` : ''}: ${registryMessage}`);
    this.name = 'RegistryRequestError';
  }

  /** 409 is how Confluent-compatible registries refuse a schema that breaks the subject's compatibility. */
  get isIncompatible(): boolean {
    return this.status === 409;
  }
}

/**
 * The few Confluent-compatible REST calls that `@kafkajs/confluent-schema-registry` does not cover
 * (compatibility configuration, subject listing and deletion). Plain fetch, JSON in and out.
 */
export class RegistryAdmin {
  constructor(readonly baseUrl: string) {}

  async setGlobalCompatibility(mode: CompatibilityMode): Promise<void> {
    await this.request('PUT', '/config', { compatibility: mode });
  }

  async setSubjectCompatibility(subject: string, mode: CompatibilityMode): Promise<void> {
    await this.request('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: mode });
  }

  async getSubjectCompatibility(subject: string): Promise<string | undefined> {
    const body = await this.request<{ compatibilityLevel?: string; compatibility?: string }>(
      'GET',
      `/config/${encodeURIComponent(subject)}`,
    );
    return body.compatibilityLevel ?? body.compatibility;
  }

  async listSubjects(): Promise<string[]> {
    return this.request<string[]>('GET', '/subjects');
  }

  async listVersions(subject: string): Promise<number[]> {
    try {
      return await this.request<number[]>('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
    } catch (err) {
      if (err instanceof RegistryRequestError && err.status === 404) return [];
      throw err;
    }
  }

  /** One registered version of a subject: its schema id and the schema text as the registry stores it. */
  async getSchemaVersion(subject: string, version: number): Promise<{ id: number; schema: string }> {
    const body = await this.request<{ id: number; schema: string }>('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`);
    return { id: body.id, schema: body.schema };
  }

  /** Registers a schema under a subject; the registry itself checks compatibility and may refuse (409). */
  async register(subject: string, schema: avro.Schema | object): Promise<number> {
    const body = await this.request<{ id: number }>('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
      schema: JSON.stringify(schema),
    });
    return body.id;
  }

  /** Asks the registry whether `schema` could be registered as the next version (without registering). */
  async testCompatibility(subject: string, schema: avro.Schema | object): Promise<{ compatible: boolean; messages: string[] }> {
    const body = await this.request<{ is_compatible: boolean; messages?: string[] }>(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`,
      { schema: JSON.stringify(schema) },
    );
    return { compatible: body.is_compatible, messages: body.messages ?? [] };
  }

  /** Soft- then hard-deletes a subject (tests clean up their own subjects). */
  async deleteSubject(subject: string): Promise<void> {
    for (const suffix of ['', '?permanent=true']) {
      try {
        await this.request('DELETE', `/subjects/${encodeURIComponent(subject)}${suffix}`);
      } catch (err) {
        if (!(err instanceof RegistryRequestError && err.status === 404)) throw err;
      }
    }
  }

  private async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new Error(`schema registry at ${this.baseUrl} is unreachable (${method} ${path}): ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    const parsed: unknown = text.length > 0 ? safeJson(text) : undefined;
    if (!res.ok) {
      const p = (parsed ?? {}) as { error_code?: number; message?: string };
      throw new RegistryRequestError(method, path, res.status, p.error_code, p.message ?? text);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
