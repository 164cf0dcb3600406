import { ConfigError, loadServiceConfig } from './service-config';

const defaults = { serviceName: 'invoice-sync', httpPort: 3003, dbSchema: 'invoice_sync' };
const jwt = { FINMESH_JWT_SECRET: 'unit-test-secret-0123456789abcdef0123' };

describe('loadServiceConfig', () => {
  it('applies defaults for a local stack', () => {
    const c = loadServiceConfig(defaults, { ...jwt });
    expect(c.http).toEqual({ host: '127.0.0.1', port: 3003 });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.kafka.clientId).toBe('invoice-sync');
    expect(c.registry.url).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    // Its own role, never the superuser.
    expect(c.database).toEqual({ url: 'postgres://finmesh_invoice_sync@127.0.0.1:5432/finmesh', schema: 'invoice_sync', poolSize: 10 });
    expect(c.otlpEndpoint).toBeUndefined();
    expect(c.jwt).toEqual({ issuer: 'finmesh', audience: 'finmesh-api', hs256Secret: jwt.FINMESH_JWT_SECRET });
  });

  it('requires exactly one way to verify API tokens, and a strong enough secret', () => {
    expect(() => loadServiceConfig(defaults, {})).toThrow(/FINMESH_JWT_SECRET: set exactly one of FINMESH_JWT_JWKS_URL, FINMESH_JWT_JWKS or FINMESH_JWT_SECRET/);
    expect(() => loadServiceConfig(defaults, { FINMESH_JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
    // The rejected secret itself never appears in the message (it ends up in logs).
    expect(() => loadServiceConfig(defaults, { FINMESH_JWT_SECRET: 'short' })).not.toThrow(/short'/);
    expect(() => loadServiceConfig(defaults, { FINMESH_JWT_JWKS: '{"nope":1}' })).toThrow(/must be a JWKS JSON document/);
  });

  it('reads and normalises settings from the environment', () => {
    const c = loadServiceConfig(defaults, {
      ...jwt,
      FINMESH_HTTP_PORT: '8080',
      FINMESH_KAFKA_BROKERS: 'k1:9092, k2:9092,',
      FINMESH_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7/',
      FINMESH_DB_POOL_SIZE: '25',
      FINMESH_HTTP_HOST: '',
    });
    expect(c.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(c.registry.url).toBe('http://registry:8080/apis/ccompat/v7');
    expect(c.database.poolSize).toBe(25);
  });

  it('reports every bad setting at once, each with its name, reason and value', () => {
    let error: unknown;
    try {
      loadServiceConfig(defaults, {
        ...jwt,
        FINMESH_HTTP_PORT: '70000',
        FINMESH_KAFKA_BROKERS: 'broker-without-port',
        FINMESH_REGISTRY_URL: 'not a url',
        FINMESH_DB_URL: 'mysql://x@y/z',
        FINMESH_DB_SCHEMA: 'Invoice-Sync',
        FINMESH_LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        "FINMESH_HTTP_PORT: must be between 1 and 65535 (got '70000')",
        "FINMESH_KAFKA_BROKERS: must be a comma-separated list of host:port (got 'broker-without-port')",
        expect.stringMatching(/^FINMESH_REGISTRY_URL: must be a URL/),
        expect.stringMatching(/^FINMESH_DB_URL: must start with postgres:\/\//),
        expect.stringMatching(/^FINMESH_DB_SCHEMA: must be a lower-case SQL identifier/),
        expect.stringMatching(/^FINMESH_LOG_LEVEL: must be one of fatal, error/),
      ]),
    );
  });

  it('reads the rate limits, per platform client where set, and names a bad one', () => {
    const c = loadServiceConfig(defaults, { ...jwt, FINMESH_RATE_LIMIT_WRITE: '600/min:50', FINMESH_RATE_LIMITS_BY_CLIENT: '{"coupa-eu": {"write": "5/s:10"}}' });
    expect(c.rateLimits).toEqual({
      read: { ratePerSecond: 200, capacity: 400 },
      write: { ratePerSecond: 10, capacity: 50 },
      byClient: { 'coupa-eu': { write: { ratePerSecond: 5, capacity: 10 } } },
    });
    expect(() => loadServiceConfig(defaults, { ...jwt, FINMESH_RATE_LIMIT_READ: 'fast' })).toThrow("FINMESH_RATE_LIMIT_READ: must be '<rate>/<s|min>:<burst>', e.g. '20/s:40' (rate above 0, burst at least 1) (got 'fast')");
    expect(() => loadServiceConfig(defaults, { ...jwt, FINMESH_RATE_LIMITS_BY_CLIENT: '{"coupa-eu": {"write": "5/h:1"}}' })).toThrow(/FINMESH_RATE_LIMITS_BY_CLIENT: coupa-eu.write must be '<rate>\/<s\|min>:<burst>'/);
    expect(() => loadServiceConfig(defaults, { ...jwt, FINMESH_RATE_LIMITS_BY_CLIENT: '{"coupa-eu": {"burst": "5/s:1"}}' })).toThrow(/must map client ids to/);
  });
});
