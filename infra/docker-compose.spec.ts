import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  MESSAGING_METRICS,
  metricNames,
  metricOfSeries,
  REPORTING_METRICS,
  ServiceMetrics,
} from '@finmesh/service-kit';
import { INVOICE_SYNC_METRICS } from '@finmesh/invoice-sync';
import { PAYMENT_SYNC_METRICS } from '@finmesh/payment-sync';

/** docker-compose.yml cannot be run on machines without Docker; this keeps it honest. */
const root = path.resolve(__dirname, '..');
// merge: the file shares service settings through YAML anchors and `<<` merge keys, as Compose does.
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string | number> | string[]; depends_on?: unknown; volumes?: string[] }>;
};

function envOf(service: string): Record<string, string> {
  const env = compose.services[service]?.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

function readYaml<T>(relative: string): T {
  return parse(fs.readFileSync(path.join(root, relative), 'utf8')) as T;
}

// The services: apps with a ServiceDefinition (src/service.ts). Tools such as apps/ops-cli have a
// main.ts too but are command-line programs, not containers of the stack.
const apps = fs
  .readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'apps', d.name, 'src/service.ts')))
  .map((d) => d.name);

describe('docker-compose.yml', () => {
  it('parses and defines the infrastructure', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['kafka', 'postgres']));
    expect(names.some((n) => /registry/.test(n))).toBe(true);
  });

  it.each(apps)('runs the %s app with its broker, registry and database settings', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    const env = service?.environment ?? {};
    const keys = Array.isArray(env) ? env.map((e) => e.split('=')[0]) : Object.keys(env);
    expect(keys).toEqual(expect.arrayContaining(['FINMESH_KAFKA_BROKERS', 'FINMESH_REGISTRY_URL', 'FINMESH_DB_URL']));
  });

  it.each(apps)('connects %s to PostgreSQL as its own role, never the superuser', (app) => {
    expect(envOf(app)['FINMESH_DB_URL']).toBe(`postgres://finmesh_${app.replace(/-/g, '_')}:finmesh-dev@postgres:5432/finmesh`);
  });

  it('runs the registry as its own database role', () => {
    expect(compose.services['registry']?.environment).toMatchObject({ APICURIO_DATASOURCE_USERNAME: 'finmesh_registry' });
  });

  it.each(apps)('sends the traces of %s to the OpenTelemetry collector', (app) => {
    expect(envOf(app)['FINMESH_OTLP_ENDPOINT']).toBe('http://otel-collector:4318');
  });

  it('runs Prometheus, Grafana and the OpenTelemetry collector with config files that exist', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['prometheus', 'grafana', 'otel-collector', 'jaeger']));
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []).filter((v) => v.startsWith('./'));
    expect(mounts.length).toBeGreaterThanOrEqual(4);
    for (const mount of mounts) expect({ mount, exists: fs.existsSync(path.join(root, mount.split(':')[0]!)) }).toEqual({ mount, exists: true });
  });
});

describe('infra/observability', () => {
  it('Prometheus scrapes /metrics of every service at its compose name and port', () => {
    const config = readYaml<{ scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[] }>('infra/observability/prometheus.yml');
    const finmesh = config.scrape_configs[0]!;
    expect(finmesh.metrics_path ?? '/metrics').toBe('/metrics');
    const targets = finmesh.static_configs.flatMap((c) => c.targets);
    for (const app of apps) expect(targets).toContain(`${app}:${envOf(app)['FINMESH_HTTP_PORT']}`);
  });

  it('the collector receives OTLP and exports through exporters it defines', () => {
    const config = readYaml<{ receivers: Record<string, unknown>; exporters: Record<string, unknown>; processors: Record<string, unknown>; service: { pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> } }>(
      'infra/observability/otel-collector.yaml',
    );
    const traces = config.service.pipelines['traces']!;
    expect(traces.receivers).toEqual(['otlp']);
    for (const p of traces.processors) expect(Object.keys(config.processors)).toContain(p);
    for (const e of traces.exporters) expect(Object.keys(config.exporters)).toContain(e);
    expect(compose.services['jaeger']).toBeDefined();
  });

  describe('the Grafana dashboard', () => {
    interface Panel {
      title: string;
      type: string;
      datasource?: { uid: string };
      targets?: { expr: string }[];
    }
    const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'infra/observability/grafana/dashboards/finmesh.json'), 'utf8')) as { panels: Panel[] };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    const domainMetrics = [MESSAGING_METRICS, INVOICE_SYNC_METRICS, PAYMENT_SYNC_METRICS, REPORTING_METRICS].flatMap((group) => metricNames(group));
    // Default process metrics as the code registers them (prefix included).
    const registered = new Set([...domainMetrics, ...new ServiceMetrics('compose-spec').registeredNames()]);

    it('uses only metric names the code registers', () => {
      const unknown = exprs.flatMap(({ panel, expr }) =>
        [...expr.matchAll(/\bfinmesh_[a-z0-9_]+/g)].map((m) => m[0]).filter((name) => metricOfSeries(name, registered) === undefined).map((name) => `${panel}: ${name}`),
      );
      expect(unknown).toEqual([]);
    });

    it('shows every technical metric and business KPI', () => {
      const used = new Set(exprs.flatMap(({ expr }) => [...expr.matchAll(/\bfinmesh_[a-z0-9_]+/g)].map((m) => metricOfSeries(m[0], registered))));
      expect(domainMetrics.filter((name) => !used.has(name))).toEqual([]);
    });

    it('queries the provisioned Prometheus datasource', () => {
      const datasources = readYaml<{ datasources: { uid: string }[] }>('infra/observability/grafana/provisioning/datasources/prometheus.yaml');
      const uids = new Set(dashboard.panels.flatMap((p) => (p.datasource ? [p.datasource.uid] : [])));
      expect([...uids]).toEqual([datasources.datasources[0]!.uid]);
    });
  });
});
