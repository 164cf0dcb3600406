/** The processes `npm start` runs, with their default HTTP ports (each overridable by env). */
export interface ServiceEntry {
  readonly name: string;
  readonly port: number;
  /** TypeScript entry point, relative to the repository root. */
  readonly entry: string;
  readonly livePath: string;
  readonly readyPath: string;
  /** Environment variable through which the process takes its port. */
  readonly portVariable: string;
}

const finmeshService = (name: string, port: number): ServiceEntry => ({
  name,
  port,
  entry: `apps/${name}/src/main.ts`,
  livePath: '/health/live',
  readyPath: '/health/ready',
  portVariable: 'FINMESH_HTTP_PORT',
});

/**
 * The ERP simulator stands in for the cloud ERP (Fusion) on a local stack: authenticated
 * (dev user finmesh / finmesh-dev), polled, posting, payments, validation and holds.
 */
export const ERP_SIMULATOR: ServiceEntry = {
  name: 'erp-simulator',
  port: 3900,
  entry: 'tools/erp-simulator/src/main.ts',
  livePath: '/__admin/health',
  readyPath: '/__admin/health',
  portVariable: 'ERP_SIM_PORT',
};

/** The procurement simulator stands in for Coupa: OAuth client credentials, exported-flag resources. */
export const PROCUREMENT_SIMULATOR: ServiceEntry = {
  name: 'procurement-simulator',
  port: 3910,
  entry: 'tools/procurement-simulator/src/main.ts',
  livePath: '/__admin/health',
  readyPath: '/__admin/health',
  portVariable: 'PROC_SIM_PORT',
};

/** The AP platform simulator stands in for invoice capture's platform (Coupa Invoicing): write-back target. */
export const AP_SIMULATOR: ServiceEntry = {
  name: 'ap-simulator',
  port: 3920,
  entry: 'tools/ap-simulator/src/main.ts',
  livePath: '/__admin/health',
  readyPath: '/__admin/health',
  portVariable: 'AP_SIM_PORT',
};

/**
 * How the services sign in to the simulators on a local stack: the simulators' dev credentials.
 * A real deployment sets FINMESH_ERP_* / FINMESH_COUPA_* (secrets from files: *_FILE).
 */
export const LOCAL_PLATFORM_CREDENTIALS: Readonly<Record<string, string>> = {
  FINMESH_ERP_AUTH: 'basic',
  FINMESH_ERP_USERNAME: 'finmesh',
  FINMESH_ERP_PASSWORD: 'finmesh-dev',
  FINMESH_COUPA_TOKEN_URL: 'http://127.0.0.1:3910/oauth2/token',
  FINMESH_COUPA_CLIENT_ID: 'finmesh',
  FINMESH_COUPA_CLIENT_SECRET: 'finmesh-simulator-secret',
  FINMESH_AP_TOKEN_URL: 'http://127.0.0.1:3920/oauth2/token',
  FINMESH_AP_CLIENT_ID: 'finmesh',
  FINMESH_AP_CLIENT_SECRET: 'finmesh-ap-simulator-secret',
  // The simulators allow Coupa's 25 calls/s per client; locally the write-back may use 20 of them
  // (the production default is 10, leaving room for other integrations on the same tenant).
  FINMESH_COUPA_DELIVERY_RATE_PER_SECOND: '20',
  FINMESH_AP_DELIVERY_RATE_PER_SECOND: '20',
};

export const SERVICES: readonly ServiceEntry[] = [
  ERP_SIMULATOR,
  PROCUREMENT_SIMULATOR,
  AP_SIMULATOR,
  finmeshService('supplier-sync', 3001),
  finmeshService('po-sync', 3002),
  finmeshService('invoice-sync', 3003),
  finmeshService('payment-sync', 3004),
  finmeshService('reporting-projector', 3005),
];
