import { z } from 'zod';
import { KAFKA_OPS_PRINCIPAL, readKafkaClientSettings, TOPIC_PREFIX_PATTERN, type KafkaClientSettings } from '@finmesh/contracts';
import { UsageError } from '../cli-errors';

/**
 * Where the CLI finds the mesh: the same variables the services read (FINMESH_KAFKA_BROKERS,
 * FINMESH_REGISTRY_URL, FINMESH_DB_URL, FINMESH_TOPIC_PREFIX), defaulting to the local dev stack,
 * plus the reporting projector's URL and an API token for `rebuild reporting`.
 */
export interface OpsConfig {
  readonly kafkaBrokers: readonly string[];
  /** TLS and SCRAM: the ops principal (finmesh-ops) by default, the one allowed to replay, purge and reset groups. */
  readonly kafka: KafkaClientSettings;
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly topicPrefix: string;
  readonly projectorUrl: string;
  readonly token: string | undefined;
  /** PostgreSQL schema of the replay and purge ledgers (and the audit trail's default). */
  readonly opsSchema: string;
  /** PostgreSQL schema of the audit trail (finmesh_audit, shared by every service). */
  readonly auditSchema: string;
}

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const schema = z.object({
  FINMESH_REGISTRY_URL: httpUrl.default('http://127.0.0.1:8081/apis/ccompat/v7'),
  FINMESH_DB_URL: z
    .string()
    .url('must be a URL such as postgres://user@host:5432/db')
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://')
    .default('postgres://postgres@127.0.0.1:5432/finmesh'),
  FINMESH_TOPIC_PREFIX: z
    .string()
    .regex(TOPIC_PREFIX_PATTERN, "must be lower-case letters, digits, '.', '_' or '-', ending with '.' (e.g. 'staging.')")
    .optional(),
  FINMESH_PROJECTOR_URL: httpUrl.default('http://127.0.0.1:3005'),
  FINMESH_TOKEN: z.string().min(1, 'must not be empty').optional(),
  FINMESH_OPS_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (a-z, 0-9, _)').default('finmesh_ops'),
  FINMESH_AUDIT_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (a-z, 0-9, _)').default('finmesh_audit'),
});

/** Never echoed in an error: it may carry a password (DB URL) or is a credential. */
const SECRET = new Set(['FINMESH_DB_URL', 'FINMESH_TOKEN']);

export interface ConfigOverrides {
  readonly prefix?: string;
  readonly projectorUrl?: string;
  readonly token?: string;
}

/** Reads and validates the settings once; every bad one is reported at once (exit 2). */
export function loadOpsConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): OpsConfig {
  const input: Record<string, string | undefined> = {
    FINMESH_REGISTRY_URL: env['FINMESH_REGISTRY_URL'],
    FINMESH_DB_URL: env['FINMESH_DB_URL'],
    FINMESH_TOPIC_PREFIX: overrides.prefix ?? env['FINMESH_TOPIC_PREFIX'],
    FINMESH_PROJECTOR_URL: overrides.projectorUrl ?? env['FINMESH_PROJECTOR_URL'],
    FINMESH_TOKEN: overrides.token ?? env['FINMESH_TOKEN'],
    FINMESH_OPS_SCHEMA: env['FINMESH_OPS_SCHEMA'],
    FINMESH_AUDIT_SCHEMA: env['FINMESH_AUDIT_SCHEMA'],
  };
  // An empty variable means "not set" (shells export VAR= easily); defaults apply.
  for (const [k, v] of Object.entries(input)) if (v === '') delete input[k];
  const parsed = schema.safeParse(input);
  const kafka = readKafkaClientSettings(env, { defaultUsername: KAFKA_OPS_PRINCIPAL });
  if (!parsed.success || !kafka.ok) {
    const problems = (parsed.success ? [] : parsed.error.issues).map((i) => {
      const name = String(i.path[0]);
      const shown = SECRET.has(name) ? '' : ` (got "${input[name] ?? ''}")`;
      const flag = name === 'FINMESH_TOPIC_PREFIX' ? ' / --prefix' : name === 'FINMESH_PROJECTOR_URL' ? ' / --projector-url' : '';
      return `${name}${flag} ${i.message}${shown}`;
    });
    if (!kafka.ok) problems.push(...kafka.problems);
    throw new UsageError(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const c = parsed.data;
  return {
    kafkaBrokers: kafka.settings.brokers,
    kafka: kafka.settings,
    registryUrl: c.FINMESH_REGISTRY_URL,
    databaseUrl: c.FINMESH_DB_URL,
    topicPrefix: c.FINMESH_TOPIC_PREFIX ?? '',
    projectorUrl: c.FINMESH_PROJECTOR_URL,
    token: c.FINMESH_TOKEN,
    opsSchema: c.FINMESH_OPS_SCHEMA,
    auditSchema: c.FINMESH_AUDIT_SCHEMA,
  };
}
