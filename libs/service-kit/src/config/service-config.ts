import { z } from 'zod';
import type { JwtSettings } from '../http-api/auth/jwt-verifier';
import type { EndpointClass, RateLimitSettings } from '../http-api/rate-limits/rate-limits';
import { parseBucketLimit, type BucketLimit } from '../http-api/rate-limits/bucket-limit';
import { readKafkaClientSettings, servicePrincipal, TOPIC_PREFIX_PATTERN, type KafkaClientSettings } from '@finmesh/contracts';

/**
 * Typed, validated configuration shared by every finmesh service.
 *
 * Settings come from environment variables (12-factor). Validation happens once at start-up and
 * reports every bad setting at once, each with its variable name and the reason, so an operator
 * fixes a deployment in one pass instead of one crash per typo.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const port = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const postgresUrl = z
  .string()
  .url('must be a URL such as postgres://user@host:5432/db')
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://');

const LIMIT_FORMAT = "must be '<rate>/<s|min>:<burst>', e.g. '20/s:40' (rate above 0, burst at least 1)";

const bucketLimit = z.string().transform((text, ctx): BucketLimit => {
  const limit = parseBucketLimit(text);
  if (!limit) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: LIMIT_FORMAT });
    return z.NEVER;
  }
  return limit;
});

/** `{"coupa-eu": {"write": "5/s:10"}}`: limits of particular platform clients. */
const limitsByClient = z.string().transform((text, ctx): RateLimitSettings['byClient'] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON object of client ids, e.g. {"coupa-eu": {"write": "5/s:10"}}' });
    return z.NEVER;
  }
  const shape = z.record(z.string().min(1), z.object({ read: z.string().optional(), write: z.string().optional() }).strict()).safeParse(parsed);
  if (!shape.success) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must map client ids to {"read"?, "write"?} limits, e.g. {"coupa-eu": {"write": "5/s:10"}}' });
    return z.NEVER;
  }
  const out: Record<string, Partial<Record<EndpointClass, BucketLimit>>> = {};
  for (const [clientId, limits] of Object.entries(shape.data)) {
    const entry: Partial<Record<EndpointClass, BucketLimit>> = {};
    for (const endpointClass of ['read', 'write'] as const) {
      const text = limits[endpointClass];
      if (text === undefined) continue;
      const limit = parseBucketLimit(text);
      if (!limit) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${clientId}.${endpointClass} ${LIMIT_FORMAT}` });
      else entry[endpointClass] = limit;
    }
    out[clientId] = entry;
  }
  return out;
});

const sqlIdentifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (a-z, 0-9, _)');

/** The PostgreSQL role a service connects as by default: `finmesh_po_sync` for po-sync. */
export function serviceDatabaseRole(serviceName: string): string {
  return `finmesh_${serviceName.replace(/-/g, '_')}`;
}

/** Settings whose values must never be echoed in an error message (it ends up in logs). */
const SECRET_SETTINGS = new Set(['FINMESH_JWT_SECRET', 'FINMESH_JWT_JWKS', 'FINMESH_DB_URL']);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Defaults a service supplies for itself (its port and database schema). */
export interface ServiceDefaults {
  readonly serviceName: string;
  readonly httpPort: number;
  readonly dbSchema: string;
}

function baseSchema(defaults: ServiceDefaults) {
  return z.object({
    FINMESH_HTTP_HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
    FINMESH_HTTP_PORT: port.default(defaults.httpPort),
    FINMESH_KAFKA_CLIENT_ID: z.string().min(1, 'must not be empty').default(defaults.serviceName),
    FINMESH_REGISTRY_URL: httpUrl.default('http://127.0.0.1:8081/apis/ccompat/v7'),
    // Each service its own role (infra/postgres/init.sql), which owns its schema and nothing else.
    FINMESH_DB_URL: postgresUrl.default(`postgres://${serviceDatabaseRole(defaults.serviceName)}@127.0.0.1:5432/finmesh`),
    FINMESH_DB_SCHEMA: sqlIdentifier.default(defaults.dbSchema),
    FINMESH_DB_POOL_SIZE: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(10),
    FINMESH_LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    FINMESH_OTLP_ENDPOINT: httpUrl.optional(),
    FINMESH_TOPIC_PREFIX: z
      .string()
      .regex(TOPIC_PREFIX_PATTERN, "must be lower-case letters, digits, '.', '_' or '-', ending with '.' (e.g. 'staging.')")
      .optional(),
    FINMESH_JWT_ISSUER: z.string().min(1, 'must not be empty').default('finmesh'),
    FINMESH_JWT_AUDIENCE: z.string().min(1, 'must not be empty').default('finmesh-api'),
    FINMESH_JWT_JWKS_URL: httpUrl.optional(),
    FINMESH_JWT_JWKS: z
      .string()
      .refine((s) => {
        try {
          return Array.isArray((JSON.parse(s) as { keys?: unknown }).keys);
        } catch {
          return false;
        }
      }, 'must be a JWKS JSON document ({"keys": [...]})')
      .optional(),
    FINMESH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 shared secret)').optional(),
    FINMESH_CONSUMER_MAX_ATTEMPTS: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100')
      .default(5),
    FINMESH_CONSUMER_INITIAL_BACKOFF_MS: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .default(200),
    FINMESH_CONSUMER_MAX_BACKOFF_MS: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .default(30000),
    // Per client and endpoint class; generous defaults (a platform's month-end burst), tightened per platform.
    FINMESH_RATE_LIMIT_READ: bucketLimit.default('200/s:400'),
    FINMESH_RATE_LIMIT_WRITE: bucketLimit.default('100/s:200'),
    FINMESH_RATE_LIMITS_BY_CLIENT: limitsByClient.optional(),
    FINMESH_READY_TIMEOUT_MS: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(100, 'must be at least 100')
      .max(60000, 'must be at most 60000')
      .default(2000),
  });
}

export interface ServiceConfig {
  readonly serviceName: string;
  readonly http: { readonly host: string; readonly port: number };
  /** Brokers, TLS and the service's own SCRAM principal (FINMESH_KAFKA_*; see kafka-client-settings). */
  readonly kafka: KafkaClientSettings & { readonly clientId: string };
  readonly registry: { readonly url: string };
  readonly database: { readonly url: string; readonly schema: string; readonly poolSize: number };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly otlpEndpoint: string | undefined;
  readonly readyTimeoutMs: number;
  readonly jwt: JwtSettings;
  /** Retry budget of the service's consumers for transient failures (then the dead-letter topic). */
  readonly consumerRetry: { readonly maxAttempts: number; readonly initialBackoffMs: number; readonly maxBackoffMs: number };
  /** Prefix of every catalog topic and subject this service uses ('' = the plain catalog). */
  readonly topicPrefix: string;
  /** Token buckets per API client and endpoint class (RateLimitGuard). */
  readonly rateLimits: RateLimitSettings;
}

/** Reads the environment into a {@link ServiceConfig}; throws {@link ConfigError} listing every bad setting. */
export function loadServiceConfig(
  defaults: ServiceDefaults,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceConfig {
  // Empty strings count as "not set" so `FOO=` in an env file falls back to the default.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = baseSchema(defaults)
    .superRefine((c, ctx) => {
      const sources = [c.FINMESH_JWT_JWKS_URL, c.FINMESH_JWT_JWKS, c.FINMESH_JWT_SECRET].filter((v) => v !== undefined);
      if (sources.length !== 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['FINMESH_JWT_SECRET'],
          message: `set exactly one of FINMESH_JWT_JWKS_URL, FINMESH_JWT_JWKS or FINMESH_JWT_SECRET to verify API tokens (${sources.length} set)`,
        });
      }
    })
    .safeParse(present);
  // Kafka's connection settings have one reader for every finmesh process (contracts' kafka-access).
  const kafka = readKafkaClientSettings(present, { defaultUsername: servicePrincipal(defaults.serviceName) });
  if (!parsed.success || !kafka.ok) {
    // One message per bad setting: the first rule it breaks is the one to fix.
    const byName = new Map<string, string>();
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const name = issue.path.join('.');
      if (byName.has(name)) continue;
      const raw = SECRET_SETTINGS.has(name) ? undefined : present[name];
      byName.set(name, `${name}: ${issue.message}${raw === undefined ? '' : ` (got '${raw}')`}`);
    }
    throw new ConfigError([...byName.values(), ...(kafka.ok ? [] : kafka.problems)]);
  }
  const c = parsed.data;
  return {
    serviceName: defaults.serviceName,
    http: { host: c.FINMESH_HTTP_HOST, port: c.FINMESH_HTTP_PORT },
    kafka: { ...kafka.settings, clientId: c.FINMESH_KAFKA_CLIENT_ID },
    registry: { url: c.FINMESH_REGISTRY_URL },
    database: { url: c.FINMESH_DB_URL, schema: c.FINMESH_DB_SCHEMA, poolSize: c.FINMESH_DB_POOL_SIZE },
    logLevel: c.FINMESH_LOG_LEVEL,
    otlpEndpoint: c.FINMESH_OTLP_ENDPOINT,
    readyTimeoutMs: c.FINMESH_READY_TIMEOUT_MS,
    topicPrefix: c.FINMESH_TOPIC_PREFIX ?? '',
    rateLimits: { read: c.FINMESH_RATE_LIMIT_READ, write: c.FINMESH_RATE_LIMIT_WRITE, byClient: c.FINMESH_RATE_LIMITS_BY_CLIENT ?? {} },
    consumerRetry: {
      maxAttempts: c.FINMESH_CONSUMER_MAX_ATTEMPTS,
      initialBackoffMs: c.FINMESH_CONSUMER_INITIAL_BACKOFF_MS,
      maxBackoffMs: Math.max(c.FINMESH_CONSUMER_MAX_BACKOFF_MS, c.FINMESH_CONSUMER_INITIAL_BACKOFF_MS),
    },
    jwt: {
      issuer: c.FINMESH_JWT_ISSUER,
      audience: c.FINMESH_JWT_AUDIENCE,
      ...(c.FINMESH_JWT_JWKS_URL ? { jwksUrl: c.FINMESH_JWT_JWKS_URL } : {}),
      ...(c.FINMESH_JWT_JWKS ? { jwks: c.FINMESH_JWT_JWKS } : {}),
      ...(c.FINMESH_JWT_SECRET ? { hs256Secret: c.FINMESH_JWT_SECRET } : {}),
    },
  };
}
