/** The finmesh services `npm start` runs, with their default HTTP ports (each overridable by env). */
export interface ServiceEntry {
  readonly name: string;
  readonly port: number;
}

export const SERVICES: readonly ServiceEntry[] = [
  { name: 'supplier-sync', port: 3001 },
  { name: 'po-sync', port: 3002 },
  { name: 'invoice-sync', port: 3003 },
  { name: 'payment-sync', port: 3004 },
  { name: 'reporting-projector', port: 3005 },
];
