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

/** The ERP simulator stands in for the cloud ERP's posting and payment APIs on a local stack. */
export const ERP_SIMULATOR: ServiceEntry = {
  name: 'erp-simulator',
  port: 3900,
  entry: 'tools/erp-simulator/src/main.ts',
  livePath: '/__admin/health',
  readyPath: '/__admin/health',
  portVariable: 'ERP_SIM_PORT',
};

export const SERVICES: readonly ServiceEntry[] = [
  ERP_SIMULATOR,
  finmeshService('supplier-sync', 3001),
  finmeshService('po-sync', 3002),
  finmeshService('invoice-sync', 3003),
  finmeshService('payment-sync', 3004),
  finmeshService('reporting-projector', 3005),
];
