import { ConfigError } from '@finmesh/service-kit';
import { loadPoSyncSettings } from './po-sync-settings';

const COUPA = { FINMESH_COUPA_BASE_URL: 'https://acme.coupahost.com', FINMESH_COUPA_TOKEN_URL: 'https://acme.coupahost.com/oauth2/token', FINMESH_COUPA_CLIENT_ID: 'finmesh', FINMESH_COUPA_CLIENT_SECRET: 's3cret' };
const ERP = { FINMESH_ERP_BASE_URL: 'https://pod.oraclecloud.com', FINMESH_ERP_AUTH: 'basic', FINMESH_ERP_USERNAME: 'integration', FINMESH_ERP_PASSWORD: 'pw' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadPoSyncSettings(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('po-sync settings', () => {
  it('reads the Coupa poll and the ERP connection when both are on (the default)', () => {
    const s = loadPoSyncSettings({ ...COUPA, ...ERP, FINMESH_COUPA_POLL_INTERVAL_MS: '1000', FINMESH_ERP_SUPPLIER_SITE: 'MAIN' });
    expect(s.coupa).toMatchObject({ connection: { platform: 'coupa', baseUrl: 'https://acme.coupahost.com' }, poll: { enabled: true, intervalMs: 1000, pageSize: 50 } });
    expect(s.erp).toMatchObject({ connection: { platform: 'fusion', baseUrl: 'https://pod.oraclecloud.com/fscmRestApi/resources/11.13.18.05' }, supplierSite: 'MAIN' });
  });

  it('needs no platform settings when polling and the ERP sync are off', () => {
    expect(loadPoSyncSettings({ FINMESH_COUPA_POLL: 'off', FINMESH_ERP_PO_SYNC: 'off' })).toEqual({ coupa: undefined, erp: undefined });
  });

  it('lists every bad setting at once', () => {
    const found = problems({ FINMESH_COUPA_POLL_PAGE_SIZE: '100', FINMESH_ERP_PO_SYNC: 'maybe' });
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^FINMESH_COUPA_POLL_PAGE_SIZE:/), expect.stringMatching(/^FINMESH_ERP_PO_SYNC: must be on or off/)]));
    expect(problems({ ...ERP })).toEqual(expect.arrayContaining([expect.stringMatching(/^FINMESH_COUPA_CLIENT_ID/)]));
    expect(problems({ ...COUPA })).toEqual(expect.arrayContaining([expect.stringMatching(/^FINMESH_ERP_USERNAME/)]));
  });
});
