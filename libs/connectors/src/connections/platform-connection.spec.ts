import { COUPA_CONNECTION, FUSION_CONNECTION, readPlatformConnection } from './platform-connection';

describe('readPlatformConnection', () => {
  it('adds the Fusion REST root to the pod URL and reads its credentials', () => {
    const r = readPlatformConnection(
      { FINMESH_ERP_BASE_URL: 'https://acme.fa.em2.oraclecloud.com/', FINMESH_ERP_AUTH: 'basic', FINMESH_ERP_USERNAME: 'fin.int', FINMESH_ERP_PASSWORD: 'pw' },
      FUSION_CONNECTION,
    );
    expect(r.problems).toEqual([]);
    expect(r.settings).toMatchObject({ platform: 'fusion', baseUrl: 'https://acme.fa.em2.oraclecloud.com/fscmRestApi/resources/11.13.18.05', timeoutMs: 10_000, auth: { kind: 'basic', username: 'fin.int' } });
  });

  it('defaults to the local simulator and lists every bad setting', () => {
    const r = readPlatformConnection({ FINMESH_COUPA_BASE_URL: 'coupa.example', FINMESH_COUPA_TIMEOUT_MS: '5', FINMESH_COUPA_CLIENT_ID: 'c' }, COUPA_CONNECTION);
    expect(r.settings).toBeUndefined();
    expect(r.problems).toEqual([
      "FINMESH_COUPA_BASE_URL: must be an http(s) URL (got 'coupa.example')",
      "FINMESH_COUPA_TIMEOUT_MS: must be a whole number of ms between 100 and 300000 (got '5')",
      'FINMESH_COUPA_TOKEN_URL: required when FINMESH_COUPA_AUTH is oauth2',
      'FINMESH_COUPA_CLIENT_SECRET: required (or FINMESH_COUPA_CLIENT_SECRET_FILE) when FINMESH_COUPA_AUTH is oauth2',
    ]);
    const local = readPlatformConnection({ FINMESH_COUPA_TOKEN_URL: 'http://127.0.0.1:3910/oauth2/token', FINMESH_COUPA_CLIENT_ID: 'c', FINMESH_COUPA_CLIENT_SECRET: 's' }, COUPA_CONNECTION);
    expect(local.settings?.baseUrl).toBe('http://127.0.0.1:3910');
  });
});
