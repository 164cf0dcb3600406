import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { mintDevToken, serviceDatabaseRole, type ServiceDefinition } from '@finmesh/service-kit';
import { dropTestSchema, env, provisionTestNamespace, startServiceUnderTest, uniqueName, withPg } from '@finmesh/testing';
import { invoiceSyncService } from '@finmesh/invoice-sync';
import { PaymentSyncService } from '@finmesh/payment-sync';
import { PoSyncService } from '@finmesh/po-sync';
import { ReportingProjectorService } from '@finmesh/reporting-projector';
import { SupplierSyncService } from '@finmesh/supplier-sync';
import { LOCAL_PLATFORM_CREDENTIALS } from '@finmesh/stack';

const SECRET = 'database-roles-test-secret-0123456789abcdef';
const SERVICES: ServiceDefinition[] = [SupplierSyncService, PoSyncService, invoiceSyncService({ ...LOCAL_PLATFORM_CREDENTIALS, ...process.env }), PaymentSyncService, ReportingProjectorService];

/** The test database's URL with another role (and the dev role password, where the server asks for one). */
function urlAs(role: string): string {
  const url = new URL(env.databaseUrl);
  url.username = role;
  url.password = process.env['FINMESH_DB_ROLE_PASSWORD'] ?? '';
  return url.toString();
}

async function asRole<T>(role: string, fn: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: urlAs(role) });
  await pg.connect();
  try {
    return await fn(pg);
  } finally {
    await pg.end();
  }
}

/** The SQLSTATE a statement fails with as `role`, connecting included (undefined when it succeeds). */
async function refusal(role: string, sql: string): Promise<string | undefined> {
  try {
    await asRole(role, (pg) => pg.query(sql));
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

/**
 * Least privilege in PostgreSQL (infra/postgres/init.sql), on the real server: every service runs
 * as its own role, which owns its schema and nothing else; the reporting reader reads the read
 * models only; the auditor reads the audit log only; the registry has its own database role.
 */
describe('PostgreSQL roles: no service runs as superuser', () => {
  jest.setTimeout(180_000);
  let ns: { prefix: string; cleanup: () => Promise<void> };
  const apps: INestApplication[] = [];
  /** Service name -> its test schema (owned by its role) and URL. */
  const running = new Map<string, { schema: string; url: string; role: string }>();

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    for (const definition of SERVICES) {
      const role = serviceDatabaseRole(definition.serviceName);
      const schema = uniqueName('roles').replace(/-/g, '_');
      // As init.sql does for the service's real schema: the role owns it.
      await withPg((pg) => pg.query(`CREATE SCHEMA "${schema}" AUTHORIZATION ${role}`));
      const service = await startServiceUnderTest(definition, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, { FINMESH_DB_URL: urlAs(role) });
      apps.push(service.app);
      running.set(definition.serviceName, { schema, url: service.url, role });
    }
  }, 170_000);

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    for (const { schema } of running.values()) await dropTestSchema(schema);
    await ns?.cleanup();
  });

  it('starts every service as its own role: ready, its tables created and owned by it, not a superuser', async () => {
    for (const [name, { schema, url, role }] of running) {
      expect({ name, ready: (await fetch(`${url}/health/ready`)).status }).toEqual({ name, ready: 200 });
      const owners = await withPg(async (pg) => (await pg.query<{ owner: string }>('SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = $1', [schema])).rows.map((r) => r.owner));
      expect({ name, owners }).toEqual({ name, owners: [role] });
      const [me] = await asRole(role, async (pg) => (await pg.query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>('SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user')).rows);
      expect({ name, ...me }).toEqual({ name, rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    }
  });

  it("refuses a service's write into another service's schema, and creating schemas", async () => {
    const invoices = running.get('invoice-sync')!;
    expect(await refusal('finmesh_po_sync', `INSERT INTO "${invoices.schema}".finmesh_outbox (topic, message_key, event_type, value) VALUES ('t', 'k', 'InvoicePosted', '\\x00')`)).toBe('42501');
    expect(await refusal('finmesh_po_sync', `SELECT count(*) FROM "${invoices.schema}".finmesh_outbox`)).toBe('42501');
    expect(await refusal('finmesh_invoice_sync', `DELETE FROM "${running.get('payment-sync')!.schema}".finmesh_inbox`)).toBe('42501');
    expect(await refusal('finmesh_po_sync', `CREATE SCHEMA "${uniqueName('rogue').replace(/-/g, '_')}"`)).toBe('42501');
  });

  it('lets every service append to the shared audit log, and none change it', async () => {
    const po = running.get('po-sync')!;
    const order = JSON.parse(readFileSync(join(__dirname, '../libs/adapters/src/procurement/fixtures/coupa-purchase-order.json'), 'utf8')) as Record<string, unknown>;
    const poNumber = `PO-ROLES-${randomUUID().slice(0, 8)}`;
    const token = await mintDevToken({ clientId: 'coupa-roles', roles: ['procurement-platform'], secret: SECRET });
    const res = await fetch(`${po.url}/v1/procurement/purchase-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ ...order, 'po-number': poNumber }),
    });
    expect(res.status).toBe(201);
    const audited = await withPg(async (pg) => (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM finmesh_audit.audit_log WHERE actor = 'coupa-roles'`)).rows[0]!.n);
    expect(audited).toBeGreaterThanOrEqual(1);
    expect(await refusal('finmesh_po_sync', `UPDATE finmesh_audit.audit_log SET actor = 'someone else' WHERE actor = 'coupa-roles'`)).toBe('42501');
    expect(await refusal('finmesh_po_sync', `DELETE FROM finmesh_audit.audit_log WHERE actor = 'coupa-roles'`)).toBe('42501');
  });

  it('gives the auditor the audit log only, and the reporting reader the read models only', async () => {
    expect(await refusal('finmesh_auditor', 'SELECT count(*) FROM finmesh_audit.audit_log')).toBeUndefined();
    expect(await refusal('finmesh_auditor', `SELECT count(*) FROM "${running.get('po-sync')!.schema}".finmesh_outbox`)).toBe('42501');
    expect(await refusal('finmesh_auditor', `INSERT INTO finmesh_audit.audit_log (occurred_at, recorded_at, entity_type, entity_id, action, actor, service, hash) VALUES (now(), now(), 'x', 'x', 'x', 'x', 'x', 'x')`)).toBe('42501');

    const projector = running.get('reporting-projector')!;
    // As init.sql grants on the live reporting schema; the tables' SELECT comes from the default
    // privileges on whatever the projector creates.
    await withPg((pg) => pg.query(`GRANT USAGE ON SCHEMA "${projector.schema}" TO finmesh_reporting_reader`));
    expect(await refusal('finmesh_reporting_reader', `SELECT count(*) FROM "${projector.schema}".invoices`)).toBeUndefined();
    expect(await refusal('finmesh_reporting_reader', `DELETE FROM "${projector.schema}".invoices`)).toBe('42501');
    expect(await refusal('finmesh_reporting_reader', `SELECT count(*) FROM "${running.get('invoice-sync')!.schema}".finmesh_outbox`)).toBe('42501');
    expect(await refusal('finmesh_reporting_reader', 'SELECT count(*) FROM finmesh_audit.audit_log')).toBe('42501');
  });

  it("keeps the registry's database in its own role's hands", async () => {
    const registry = new Client({ connectionString: env.databaseUrl.replace(/\/finmesh(\?|$)/, '/finmesh_registry$1') });
    await registry.connect();
    let owners: string[];
    try {
      owners = (await registry.query<{ owner: string }>("SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.owner);
      // Apicurio itself connects as it (the infra script and docker-compose start it so).
      const sessions = (await registry.query<{ usename: string }>("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'finmesh_registry' AND usename <> current_user")).rows.map((r) => r.usename);
      expect(sessions).toEqual(['finmesh_registry']);
    } finally {
      await registry.end();
    }
    expect(owners.every((o) => o === 'finmesh_registry')).toBe(true);
    // It may not even connect to finmesh's own database.
    expect(await refusal('finmesh_registry', 'SELECT 1')).toBe('42501');
  });
});
