import { ConfigError } from '@finmesh/service-kit';
import { loadInvoiceSyncSettings } from './invoice-sync-settings';

const BASIC = { FINMESH_ERP_AUTH: 'basic', FINMESH_ERP_USERNAME: 'fin.integration', FINMESH_ERP_PASSWORD: 'not-in-any-message' };

describe('invoice-sync settings', () => {
  it('defaults to the local ERP simulator, a 10 s timeout and polling every 5 s with a 2 min overlap', () => {
    const s = loadInvoiceSyncSettings(BASIC);
    expect(s.fusion).toMatchObject({ platform: 'fusion', baseUrl: 'http://127.0.0.1:3900/fscmRestApi/resources/11.13.18.05', timeoutMs: 10_000, auth: { kind: 'basic', username: 'fin.integration' } });
    expect(s.erpPoll).toEqual({ enabled: true, intervalMs: 5000, overlapMs: 120_000, pageSize: 100 });
    expect(s.erp.supplierSite).toBe('MAIN');
  });

  it('adds the Fusion REST root to the pod URL, without a doubled slash', () => {
    expect(loadInvoiceSyncSettings({ ...BASIC, FINMESH_ERP_BASE_URL: 'https://erp.example.com/' }).fusion.baseUrl).toBe('https://erp.example.com/fscmRestApi/resources/11.13.18.05');
  });

  it('needs credentials for the ERP: the client never calls it anonymously', () => {
    expect(() => loadInvoiceSyncSettings({})).toThrow(/FINMESH_ERP_USERNAME: required when FINMESH_ERP_AUTH is basic/);
  });

  it('reports every bad setting at once, one line each, never a secret', () => {
    let error: unknown;
    try {
      loadInvoiceSyncSettings({ ...BASIC, FINMESH_ERP_BASE_URL: 'not a url', FINMESH_ERP_TIMEOUT_MS: '10s', FINMESH_ERP_POLL: 'sometimes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "FINMESH_ERP_BASE_URL: must be an http(s) URL (got 'not a url')",
      "FINMESH_ERP_TIMEOUT_MS: must be a whole number of ms between 100 and 300000 (got '10s')",
      "FINMESH_ERP_POLL: must be on or off (got 'sometimes')",
    ]);
    expect(String((error as Error).message)).not.toContain('not-in-any-message');
  });

  it('refuses a non-http ERP URL', () => {
    expect(() => loadInvoiceSyncSettings({ ...BASIC, FINMESH_ERP_BASE_URL: 'ftp://erp' })).toThrow(/must be an http\(s\) URL/);
  });
});
