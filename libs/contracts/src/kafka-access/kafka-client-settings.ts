import fs from 'node:fs';
import path from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { KAFKA_ADMIN_PRINCIPAL } from './kafka-principals';

/**
 * How a finmesh process authenticates to Kafka: SASL/SCRAM-SHA-512 over TLS (the default, and
 * what the local stack and docker-compose run), or PLAINTEXT for a cluster that is secured some
 * other way (a private network, a service mesh). Secrets come from the environment or from files
 * so that a container can mount them; nothing here logs a secret.
 *
 *   FINMESH_KAFKA_SECURITY_PROTOCOL  SASL_SSL (default) | PLAINTEXT
 *   FINMESH_KAFKA_USERNAME           the SCRAM principal (default: the process's own, e.g. finmesh-po-sync)
 *   FINMESH_KAFKA_PASSWORD           its password, or
 *   FINMESH_KAFKA_PASSWORD_FILE      a file holding it (default: the local stack's secrets folder)
 *   FINMESH_KAFKA_CA_FILE            PEM bundle of the CA that signed the brokers' certificates
 *                                    (default: the local stack's generated CA)
 *
 * The local stack (`npm run infra:up`) writes the CA and one password file per principal under
 * $FINMESH_INFRA_HOME/kafka (default .finmesh/kafka), readable by the user who started it only.
 */
export const KAFKA_SECURITY_PROTOCOLS = ['SASL_SSL', 'PLAINTEXT'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export interface KafkaClientSettings {
  readonly brokers: readonly string[];
  readonly securityProtocol: KafkaSecurityProtocol;
  /** Set for SASL_SSL. */
  readonly sasl?: { readonly username: string; readonly password: string };
  /** PEM of the trusted CA(s), set for SASL_SSL. */
  readonly caPem?: string;
  /** Where the CA came from (for messages and for Java clients, which read the file). */
  readonly caFile?: string;
}

export type SettingsEnv = Readonly<Record<string, string | undefined>>;

/** Result of reading the settings: the settings, or one message per bad setting. */
export type KafkaSettingsResult = { readonly ok: true; readonly settings: KafkaClientSettings } | { readonly ok: false; readonly problems: readonly string[] };

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/** The local stack's Kafka folder: $FINMESH_INFRA_HOME/kafka, relative homes taken from the cwd. */
export function localKafkaHome(env: SettingsEnv = process.env): string {
  return path.resolve(env['FINMESH_INFRA_HOME'] || '.finmesh', 'kafka');
}

/** The password file the local stack writes for `principal`. */
export function localPasswordFile(principal: string, env: SettingsEnv = process.env): string {
  return path.join(localKafkaHome(env), 'secrets', `${principal}.password`);
}

export function localCaFile(env: SettingsEnv = process.env): string {
  return path.join(localKafkaHome(env), 'tls', 'ca.pem');
}

function readSecretFile(setting: string, file: string, problems: string[], hint: string): string | undefined {
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value === '') problems.push(`${setting}: ${file} is empty`);
    return value;
  } catch (err) {
    problems.push(`${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${hint}`);
    return undefined;
  }
}

/**
 * Reads FINMESH_KAFKA_* into client settings. `defaultUsername` is the process's own principal;
 * empty values count as unset, as in the services' other settings.
 */
export function readKafkaClientSettings(env: SettingsEnv, defaults: { readonly defaultUsername: string }): KafkaSettingsResult {
  const get = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const problems: string[] = [];
  const brokersRaw = get('FINMESH_KAFKA_BROKERS') ?? '127.0.0.1:9092';
  const brokers = brokersRaw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0 || !brokers.every((b) => BROKER.test(b))) problems.push(`FINMESH_KAFKA_BROKERS: must be a comma-separated list of host:port (got '${brokersRaw}')`);

  const protocolRaw = get('FINMESH_KAFKA_SECURITY_PROTOCOL') ?? 'SASL_SSL';
  const protocol = KAFKA_SECURITY_PROTOCOLS.find((p) => p === protocolRaw.toUpperCase());
  if (!protocol) problems.push(`FINMESH_KAFKA_SECURITY_PROTOCOL: must be one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')} (got '${protocolRaw}')`);
  if (protocol !== 'SASL_SSL') {
    return problems.length > 0 ? { ok: false, problems } : { ok: true, settings: { brokers, securityProtocol: 'PLAINTEXT' } };
  }

  const username = get('FINMESH_KAFKA_USERNAME') ?? defaults.defaultUsername;
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(username)) problems.push(`FINMESH_KAFKA_USERNAME: must be letters, digits, '.', '_' or '-' (got '${username}')`);
  let password = get('FINMESH_KAFKA_PASSWORD');
  const passwordFile = get('FINMESH_KAFKA_PASSWORD_FILE');
  if (password !== undefined && passwordFile !== undefined) {
    problems.push('FINMESH_KAFKA_PASSWORD_FILE: set FINMESH_KAFKA_PASSWORD or FINMESH_KAFKA_PASSWORD_FILE, not both');
  } else if (password === undefined) {
    const file = passwordFile ?? localPasswordFile(username, env);
    password = readSecretFile(
      'FINMESH_KAFKA_PASSWORD_FILE',
      file,
      problems,
      passwordFile ? 'point it at the file holding the password' : `set FINMESH_KAFKA_PASSWORD(_FILE) for principal ${username}, or start the local stack (npm run infra:up), which writes it`,
    );
  }
  const caFile = path.resolve(get('FINMESH_KAFKA_CA_FILE') ?? localCaFile(env));
  const caPem = readSecretFile('FINMESH_KAFKA_CA_FILE', caFile, problems, 'point it at the PEM of the CA that signed the brokers\' certificates, or start the local stack (npm run infra:up)');
  if (caPem !== undefined && caPem !== '' && !caPem.includes('-----BEGIN CERTIFICATE-----')) problems.push(`FINMESH_KAFKA_CA_FILE: ${caFile} holds no PEM certificate`);
  if (problems.length > 0 || password === undefined || caPem === undefined) return { ok: false, problems };
  return { ok: true, settings: { brokers, securityProtocol: 'SASL_SSL', sasl: { username, password }, caPem, caFile } };
}

/** Like {@link readKafkaClientSettings} but throws one error listing every bad setting (tools, tests). */
export function kafkaClientSettingsOrThrow(env: SettingsEnv, defaults: { readonly defaultUsername: string }): KafkaClientSettings {
  const result = readKafkaClientSettings(env, defaults);
  if (!result.ok) throw new Error(`Kafka client settings are not usable:\n  ${result.problems.join('\n  ')}`);
  return result.settings;
}

/**
 * The provisioning connection (topics and ACLs need a super user): the admin principal, or
 * FINMESH_PROVISIONING_KAFKA_USERNAME/_PASSWORD(_FILE) when another super user is set up.
 */
export function provisioningKafkaSettings(env: SettingsEnv = process.env): KafkaClientSettings {
  const user = env['FINMESH_PROVISIONING_KAFKA_USERNAME'];
  return kafkaClientSettingsOrThrow(
    {
      ...env,
      FINMESH_KAFKA_USERNAME: user || KAFKA_ADMIN_PRINCIPAL,
      FINMESH_KAFKA_PASSWORD: user ? env['FINMESH_PROVISIONING_KAFKA_PASSWORD'] : undefined,
      FINMESH_KAFKA_PASSWORD_FILE: user ? env['FINMESH_PROVISIONING_KAFKA_PASSWORD_FILE'] : undefined,
    },
    { defaultUsername: KAFKA_ADMIN_PRINCIPAL },
  );
}

/** The local stack's settings for one named principal (tests and probes that act as it). */
export function localPrincipalSettings(principal: string, env: SettingsEnv = process.env): KafkaClientSettings {
  return kafkaClientSettingsOrThrow({ ...env, FINMESH_KAFKA_USERNAME: principal, FINMESH_KAFKA_PASSWORD: undefined, FINMESH_KAFKA_PASSWORD_FILE: undefined }, { defaultUsername: principal });
}

/** The connection part of a kafkajs KafkaConfig: brokers, TLS and SASL. */
export function kafkaJsConnection(settings: KafkaClientSettings): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  if (settings.securityProtocol === 'PLAINTEXT' || !settings.sasl || settings.caPem === undefined) return { brokers: [...settings.brokers] };
  return {
    brokers: [...settings.brokers],
    ssl: { ca: [settings.caPem], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: settings.sasl.username, password: settings.sasl.password },
  };
}

/**
 * The same settings as Java client properties (kafka-producer-perf-test and other Apache Kafka
 * tools). The JAAS line holds the password: write it to a file only the user can read.
 */
export function javaClientProperties(settings: KafkaClientSettings): string {
  if (settings.securityProtocol === 'PLAINTEXT' || !settings.sasl) return 'security.protocol=PLAINTEXT\n';
  const quote = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return [
    'security.protocol=SASL_SSL',
    'sasl.mechanism=SCRAM-SHA-512',
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${quote(settings.sasl.username)}" password="${quote(settings.sasl.password)}";`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${settings.caFile ?? ''}`,
    '',
  ].join('\n');
}
