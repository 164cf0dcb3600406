import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** docker-compose.yml cannot be run on machines without Docker; this keeps it honest. */
const root = path.resolve(__dirname, '..');
// merge: the file shares service settings through YAML anchors and `<<` merge keys, as Compose does.
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string> | string[]; depends_on?: unknown }>;
};

const apps = fs
  .readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'apps', d.name, 'src/main.ts')))
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
});
