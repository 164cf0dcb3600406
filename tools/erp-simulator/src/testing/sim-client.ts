import { FUSION_BASE_PATH, type ErpSimulator } from '../server';

/** Basic credentials of the simulator's dev user (finmesh / finmesh-dev). */
export const DEV_BASIC = `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}`;

export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Small HTTP helpers for simulator specs: Fusion calls authenticated as the dev user unless told otherwise. */
export function simClient(sim: ErpSimulator, authorization: string | null = DEV_BASIC) {
  const call = async <T = Record<string, unknown>>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> => {
    const res = await fetch(url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? {} : JSON.parse(text)) as T };
  };
  const auth = (h: Record<string, string> = {}) => (authorization === null ? h : { authorization, ...h });
  return {
    api: <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => call<T>(method, `${sim.url}${FUSION_BASE_PATH}${path}`, body, auth(headers)),
    admin: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => call<T>(method, `${sim.url}/__admin${path}`, body),
    raw: call,
  };
}

export function invoiceBody(invoiceNumber: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    InvoiceNumber: invoiceNumber,
    InvoiceCurrency: 'EUR',
    InvoiceAmount: '1210.00',
    InvoiceDate: '2025-03-14',
    BusinessUnit: 'FINMESH DE BU',
    SupplierNumber: 'SUP-1001',
    SupplierSite: 'BERLIN',
    Description: 'Office chairs',
    invoiceLines: [
      { LineNumber: 1, LineAmount: '1000.00', Description: 'Chairs', invoiceDistributions: [{ DistributionLineNumber: 1, DistributionAmount: '1000.00', DistributionCombination: '01-000-7640-0000-000' }] },
      { LineNumber: 2, LineAmount: 210, Description: 'VAT', DistributionCombination: '01-000-2100-0000-000' },
    ],
    ...overrides,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
