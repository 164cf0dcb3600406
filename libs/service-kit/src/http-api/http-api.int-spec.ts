import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, type INestApplication, Module, Param, Post } from '@nestjs/common';
import { SignJWT } from 'jose';
import { createServiceApp } from '../bootstrap/bootstrap-service';
import { CurrentCaller } from './auth/current-caller';
import { Idempotent } from './idempotency/idempotency.interceptor';
import { mintDevToken } from './auth/dev-token';
import { Roles } from './auth/auth.guard';
import { type Caller } from './auth/jwt-verifier';
import { RequestSchema } from './request-schemas/request-schema';
import { createTestSchema, dropTestSchema, env, eventually, serviceKafkaEnv } from '@finmesh/testing';
import { z } from 'zod/v4';

const SECRET = 'http-api-test-secret-0123456789abcdef0123';

const THING_SCHEMA = z.looseObject({
  name: z.string().max(20_000).optional(),
  quantity: z.int().nonnegative().optional(),
  lines: z.array(z.looseObject({ description: z.string().optional() })).optional(),
});

class PayloadProblems extends Error {
  constructor(readonly problems: { path: string; reason: string }[]) {
    super('payload problems');
  }
}

@Controller('v1/things')
class ThingsController {
  @Get(':id')
  @Roles('reporting-reader', 'ops')
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): { id: string; readBy: string; legalEntities: Caller['legalEntities'] } {
    return { id, readBy: caller.clientId, legalEntities: caller.legalEntities };
  }

  @Post()
  @Roles('procurement-platform')
  @Idempotent()
  @RequestSchema(THING_SCHEMA, 'A thing.')
  create(@Body() body: { name?: string }): { id: string; name: string | undefined } {
    if (body.name === 'bad') throw new PayloadProblems([{ path: 'order-lines[0].price', reason: 'must be a decimal number, got "12,5"' }, { path: 'currency.code', reason: 'required' }]);
    return { id: randomUUID(), name: body.name };
  }

  @Get()
  undeclared(): string {
    return 'should never be reachable';
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

@Controller('v1/undeclared')
class UndeclaredWriteController {
  @Post()
  @Roles('ops')
  @Idempotent()
  create(): string {
    return 'never served';
  }
}

@Module({ controllers: [UndeclaredWriteController] })
class UndeclaredWriteModule {}

describe('service HTTP API: JWT roles, idempotency, 422 field problems', () => {
  let app: INestApplication;
  let url: string;
  let schema: string;
  const token = (roles: Parameters<typeof mintDevToken>[0]['roles'], clientId = 'coupa-eu') => mintDevToken({ clientId, roles, secret: SECRET });

  beforeAll(async () => {
    schema = await createTestSchema();
    ({ app } = await createServiceApp(
      { serviceName: 'http-api-test', httpPort: 1, dbSchema: schema, domainModule: ThingsModule },
      {
        ...serviceKafkaEnv('http-api-test'),
        FINMESH_REGISTRY_URL: env.registryUrl,
        FINMESH_DB_URL: env.databaseUrl,
        FINMESH_LOG_LEVEL: 'silent',
        FINMESH_JWT_SECRET: SECRET,
        // One platform with tight limits; everyone else has the defaults.
        FINMESH_RATE_LIMITS_BY_CLIENT: JSON.stringify({ 'throttled-platform': { read: '1/min:3', write: '1/min:2' } }),
      },
    ));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // The idempotency table is created once the database is reachable.
    await eventually('idempotency table', async () => {
      const res = await fetch(`${url}/health/ready`);
      return res.status === 200;
    });
  });

  afterAll(async () => {
    await app.close();
    await dropTestSchema(schema);
  });

  async function call(method: string, path: string, auth?: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  }

  it('answers 401 without a token, naming what is missing', async () => {
    const r = await call('GET', '/v1/things/1');
    expect(r.status).toBe(401);
    expect(r.body['message']).toMatch(/missing Authorization header/);
  });

  it('answers 401 for a token signed with another key or expired', async () => {
    const forged = await mintDevToken({ clientId: 'x', roles: ['ops'], secret: 'some-other-secret-0123456789abcdef0123' });
    expect((await call('GET', '/v1/things/1', forged)).body['message']).toMatch(/signature does not verify/);
    const expired = await new SignJWT({ client_id: 'x', roles: ['ops'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('finmesh')
      .setAudience('finmesh-api')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    const r = await call('GET', '/v1/things/1', expired);
    expect(r.status).toBe(401);
    expect(r.body['message']).toMatch(/expired/);
  });

  it('answers 403, naming the roles, when the caller lacks an admitted role', async () => {
    const r = await call('GET', '/v1/things/1', await token(['ap-platform'], 'basware-1'));
    expect(r.status).toBe(403);
    expect(r.body['message']).toBe("client 'basware-1' has roles [ap-platform]; this endpoint admits [reporting-reader, ops]");
  });

  it('admits a caller with one of the roles and tells the handler who it is', async () => {
    const r = await call('GET', '/v1/things/7', await token(['reporting-reader'], 'powerbi'));
    expect(r).toMatchObject({ status: 200, body: { id: '7', readBy: 'powerbi' } });
  });

  it('tells the handler the legal entities the token names: codes, every entity for "*", none without the claim', async () => {
    const scoped = await mintDevToken({ clientId: 'powerbi-nl', roles: ['reporting-reader'], secret: SECRET, legalEntities: ['NL01', 'NL02'] });
    expect((await call('GET', '/v1/things/7', scoped)).body).toMatchObject({ legalEntities: ['NL01', 'NL02'] });
    expect((await call('GET', '/v1/things/7', await token(['reporting-reader']))).body).toMatchObject({ legalEntities: 'ALL' });
    const withoutClaim = await mintDevToken({ clientId: 'legacy', roles: ['ops'], secret: SECRET, legalEntities: null });
    expect((await call('GET', '/v1/things/7', withoutClaim)).body).toMatchObject({ legalEntities: [] });
  });

  it('refuses every caller on an endpoint that declares no roles', async () => {
    expect((await call('GET', '/v1/things', await token(['ops', 'reporting-reader', 'procurement-platform']))).status).toBe(403);
  });

  it('returns the first result for a repeated Idempotency-Key, and refuses the key for another request', async () => {
    const auth = await token(['procurement-platform']);
    const key = randomUUID();
    const first = await call('POST', '/v1/things', auth, { name: 'PO-1' }, { 'idempotency-key': key });
    const again = await call('POST', '/v1/things', auth, { name: 'PO-1' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await call('POST', '/v1/things', auth, { name: 'PO-2' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body['message']).toMatch(/already used for a different request/);
    // Keys are per client: another platform may use the same key.
    const otherClient = await call('POST', '/v1/things', await token(['procurement-platform'], 'coupa-us'), { name: 'PO-2' }, { 'idempotency-key': key });
    expect(otherClient.status).toBe(201);
  });

  it('requires an Idempotency-Key on write endpoints', async () => {
    const r = await call('POST', '/v1/things', await token(['procurement-platform']), { name: 'PO-3' });
    expect(r.status).toBe(400);
    expect(r.body['message']).toMatch(/requires an Idempotency-Key/);
  });

  it('serves its OpenAPI document without a token', async () => {
    const res = await fetch(`${url}/v1/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
    expect(res.status).toBe(200);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/things/{id}', '/v1/things']));
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ scheme: 'bearer' });
  });

  it('documents each write body with the JSON Schema its request schema emits', async () => {
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { required: boolean; content: Record<string, { schema: unknown }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/things']?.['post']?.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 20_000 }, quantity: { type: 'integer', minimum: 0 } } } } },
    });
  });

  it('refuses a body that breaks the request schema with 422 naming every path, before the Idempotency-Key is claimed', async () => {
    const auth = await token(['procurement-platform']);
    const key = randomUUID();
    const bad = await call('POST', '/v1/things', auth, { name: 7, quantity: -2, lines: [{ description: false }] }, { 'idempotency-key': key });
    expect(bad.status).toBe(422);
    expect(bad.body['problems']).toEqual([
      { path: 'name', reason: 'must be a string' },
      { path: 'quantity', reason: 'must be at least 0' },
      { path: 'lines[0].description', reason: 'must be a string' },
    ]);
    // The refused request did not take the key: the corrected one is processed under it.
    const fixed = await call('POST', '/v1/things', auth, { name: 'PO-9', quantity: 2 }, { 'idempotency-key': key });
    expect(fixed).toMatchObject({ status: 201, body: { name: 'PO-9' } });
  });

  it('does not start a service with a write endpoint that declares no request schema', async () => {
    const undeclaredSchema = await createTestSchema();
    try {
      await expect(
        createServiceApp(
          { serviceName: 'undeclared-write-test', httpPort: 1, dbSchema: undeclaredSchema, domainModule: UndeclaredWriteModule },
          { ...serviceKafkaEnv('undeclared-write-test'), FINMESH_REGISTRY_URL: env.registryUrl, FINMESH_DB_URL: env.databaseUrl, FINMESH_LOG_LEVEL: 'silent', FINMESH_JWT_SECRET: SECRET },
        ),
      ).rejects.toThrow('undeclared-write-test: write endpoints without a request schema (@RequestSchema): POST /v1/undeclared');
    } finally {
      await dropTestSchema(undeclaredSchema);
    }
  });

  it('answers 422 listing every bad field path and reason', async () => {
    const r = await call('POST', '/v1/things', await token(['procurement-platform']), { name: 'bad' }, { 'idempotency-key': randomUUID() });
    expect(r.status).toBe(422);
    expect(r.body['problems']).toEqual([
      { path: 'order-lines[0].price', reason: 'must be a decimal number, got "12,5"' },
      { path: 'currency.code', reason: 'required' },
    ]);
  });

  describe('rate limits, security headers and request ids', () => {
    it('answers 429 with Retry-After once a client has used up its bucket, reads and writes apart, other clients unaffected', async () => {
      const throttled = await token(['procurement-platform', 'ops'], 'throttled-platform');
      const writes = [];
      for (let i = 0; i < 3; i++) writes.push(await call('POST', '/v1/things', throttled, { name: `PO-T${i}` }, { 'idempotency-key': randomUUID() }));
      expect(writes.map((w) => w.status)).toEqual([201, 201, 429]);
      const refused = writes[2]!;
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringContaining("client 'throttled-platform' is over its write limit") });
      // Its reads have a bucket of their own.
      const reads = [];
      for (let i = 0; i < 4; i++) reads.push((await call('GET', '/v1/things/1', throttled)).status);
      expect(reads).toEqual([200, 200, 200, 429]);
      // Another client is not slowed by it.
      expect((await call('POST', '/v1/things', await token(['procurement-platform'], 'coupa-eu'), { name: 'PO-U' }, { 'idempotency-key': randomUUID() })).status).toBe(201);
    });

    it('sets security headers on every answer', async () => {
      const res = await fetch(`${url}/v1/things/1`, { headers: { authorization: `Bearer ${await token(['ops'])}` } });
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('gives every answer a request id, the caller\'s when well-formed, and names it in a problem answer', async () => {
      const own = await fetch(`${url}/v1/things/1`, { headers: { authorization: `Bearer ${await token(['ops'])}`, 'x-request-id': 'gw-4711' } });
      expect(own.headers.get('x-request-id')).toBe('gw-4711');
      const minted = await fetch(`${url}/v1/things/1`, { headers: { 'x-request-id': 'not valid; drop table' } });
      const id = minted.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(minted.status).toBe(401);
      expect(await minted.json()).toMatchObject({ status: 401, requestId: id });
      const health = await fetch(`${url}/health/ready`);
      expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('input limits shared by every endpoint (RFC 9457 problem+json)', () => {
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${url}/v1/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(['procurement-platform'])}`, 'idempotency-key': randomUUID(), ...headers },
        body,
      });
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
    };

    it('refuses a NUL or other control character in any string, naming the path, never the value', async () => {
      const r = await post(JSON.stringify({ name: 'ok', lines: [{ description: 'bolt\u0000M8' }, { iban: 'DE89\u0007370400440532013000' }] }));
      expect(r.status).toBe(422);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ type: 'about:blank', title: 'Unprocessable Entity', status: 422 });
      expect(r.body['problems']).toEqual([
        { path: 'lines[0].description', reason: 'contains a control character (U+0000 at position 4), which no text field accepts' },
        { path: 'lines[1].iban', reason: 'contains a control character (U+0007 at position 4), which no text field accepts' },
      ]);
      expect(JSON.stringify(r.body)).not.toContain('370400440532013000');
    });

    it('refuses JSON nested 5,000 deep with 422, not a stack overflow', async () => {
      const r = await post(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
      expect(r.status).toBe(422);
      expect((r.body['problems'] as { reason: string }[])[0]?.reason).toMatch(/nested 33 levels deep; at most 32/);
    });

    it('refuses a string of 100,000 characters, naming the field', async () => {
      const r = await post(JSON.stringify({ name: 'x'.repeat(100_000) }));
      expect(r.status).toBe(422);
      expect(r.body['problems']).toEqual([{ path: 'name', reason: 'is 100000 characters long; at most 10000 are accepted' }]);
    });

    it('answers 415 for a body that is not JSON, and 413 (problem+json) for one that is too large', async () => {
      const plain = await post('name=PO-1', { 'content-type': 'text/plain' });
      expect(plain.status).toBe(415);
      expect(plain.type).toContain('application/problem+json');
      expect(plain.body['detail']).toMatch(/takes application\/json/);
      const large = await post(JSON.stringify({ name: 'x'.repeat(5_000_000) }));
      expect(large.status).toBe(413);
      expect(large.type).toContain('application/problem+json');
      const broken = await post('{"name": ');
      expect(broken.status).toBe(400);
      expect(broken.type).toContain('application/problem+json');
    });

    it('answers every other error as problem+json too', async () => {
      const res = await fetch(`${url}/v1/things/1`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 401, title: 'Unauthorized', statusCode: 401, type: 'about:blank' });
    });
  });
});
