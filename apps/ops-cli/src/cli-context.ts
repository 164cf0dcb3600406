import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Pool } from 'pg';
import { kafkaJsConnection } from '@finmesh/contracts';
import { loadOpsConfig, type OpsConfig } from './config/ops-config';
import { EXIT, type ExitCode } from './cli-errors';
import { toJson } from './output/json';
import type { PromptInput } from './output/confirm';

/** The process streams and environment, injectable so tests can run the program in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stdin: PromptInput;
  readonly env: NodeJS.ProcessEnv;
}

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly prefix?: string;
}

/**
 * What a command needs: validated settings, lazily opened clients (a `schemas check` never
 * connects to Kafka), and output that follows --json. Clients are closed by `close()`.
 */
export class CliContext {
  private config: OpsConfig | undefined;
  private kafkaClient: Kafka | undefined;
  private admins: Admin[] = [];
  private pgPool: Pool | undefined;
  exitCode: ExitCode = EXIT.ok;
  globals: GlobalOptions = {};

  constructor(readonly io: CliIo) {}

  get json(): boolean {
    return this.globals.json === true;
  }

  settings(overrides: { projectorUrl?: string; token?: string } = {}): OpsConfig {
    if (overrides.projectorUrl || overrides.token) return loadOpsConfig(this.io.env, { prefix: this.globals.prefix, ...overrides });
    this.config ??= loadOpsConfig(this.io.env, { prefix: this.globals.prefix });
    return this.config;
  }

  kafka(): Kafka {
    this.kafkaClient ??= new Kafka({
      clientId: 'finmesh-ops-cli',
      ...kafkaJsConnection(this.settings().kafka),
      logLevel: logLevel.NOTHING,
      // An operator waits at a prompt: fail within seconds when the broker is down, not minutes.
      connectionTimeout: 3000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    return this.kafkaClient;
  }

  async admin(): Promise<Admin> {
    const admin = this.kafka().admin();
    try {
      await admin.connect();
    } catch (e) {
      throw new Error(`cannot reach Kafka at ${this.settings().kafkaBrokers.join(',')} (${(e as Error).message}); is the stack up (npm run infra:status)? Set FINMESH_KAFKA_BROKERS for another cluster`);
    }
    this.admins.push(admin);
    return admin;
  }

  pool(): Pool {
    this.pgPool ??= new Pool({ connectionString: this.settings().databaseUrl, max: 3, connectionTimeoutMillis: 5000 });
    return this.pgPool;
  }

  /** Machine output in --json mode (stdout), otherwise the human text. */
  print(human: () => string, machine: () => unknown): void {
    this.io.stdout.write(`${this.json ? toJson(machine()) : human()}\n`);
  }

  /** Informational lines for humans (stderr in --json mode so stdout stays one JSON document). */
  note(text: string): void {
    (this.json ? this.io.stderr : this.io.stdout).write(`${text}\n`);
  }

  fail(code: ExitCode): void {
    if (code > this.exitCode) this.exitCode = code;
  }

  async close(): Promise<void> {
    for (const admin of this.admins) await admin.disconnect().catch(() => undefined);
    this.admins = [];
    if (this.pgPool) await this.pgPool.end().catch(() => undefined);
    this.pgPool = undefined;
  }
}
