import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { DependencyCheck } from '../health/dependency-check';

/**
 * The Confluent-compatible schema registry (Apicurio's `/apis/ccompat/v7` or Confluent's own).
 * Wraps the `@kafkajs/confluent-schema-registry` client and adds a cheap readiness probe.
 */
export class RegistryConnection implements DependencyCheck {
  readonly dependency = 'schema-registry';
  readonly client: SchemaRegistry;

  constructor(readonly url: string) {
    this.client = new SchemaRegistry({ host: url });
  }

  async check(): Promise<void> {
    const res = await fetch(`${this.url}/schemas/types`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`GET ${this.url}/schemas/types answered HTTP ${res.status}`);
  }
}
