import { ConfigError } from '@finmesh/service-kit';
import { loadInvoiceSyncSettings } from './invoice-sync-settings';

describe('invoice-sync settings', () => {
  it('defaults to the local ERP simulator and a 10 s timeout', () => {
    expect(loadInvoiceSyncSettings({})).toMatchObject({ erp: { baseUrl: 'http://127.0.0.1:3900', timeoutMs: 10_000 } });
  });

  it('strips a trailing slash from the ERP URL', () => {
    expect(loadInvoiceSyncSettings({ FINMESH_ERP_BASE_URL: 'https://erp.example.com/' }).erp.baseUrl).toBe('https://erp.example.com');
  });

  it('reports every bad setting at once, one line each', () => {
    let error: unknown;
    try {
      loadInvoiceSyncSettings({ FINMESH_ERP_BASE_URL: 'not a url', FINMESH_ERP_TIMEOUT_MS: '10s' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "FINMESH_ERP_BASE_URL: must be a URL such as http://erp.example.com (got 'not a url')",
      "FINMESH_ERP_TIMEOUT_MS: must be a whole number of milliseconds between 100 and 120000 (got '10s')",
    ]);
  });

  it('refuses a non-http ERP URL', () => {
    expect(() => loadInvoiceSyncSettings({ FINMESH_ERP_BASE_URL: 'ftp://erp' })).toThrow(/must be an http\(s\) URL/);
  });
});
