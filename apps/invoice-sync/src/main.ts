import { ConfigError, loadServiceConfig, runServiceMain, type ServiceDefinition } from '@finmesh/service-kit';
import { invoiceSyncService } from './invoice-sync-service';

// invoice-sync's own settings and rules are read before service-kit's; a bad deployment is
// reported in one go (exit code 2, one line per bad setting) whichever of them is wrong.
let definition: ServiceDefinition | undefined;
const problems: string[] = [];
try {
  definition = invoiceSyncService(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  problems.push(...err.problems);
}
try {
  loadServiceConfig({ serviceName: 'invoice-sync', httpPort: 3003, dbSchema: 'invoice_sync' }, process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  problems.push(...err.problems);
}
if (definition === undefined || problems.length > 0) {
  process.stderr.write(`invoice-sync: ${new ConfigError(problems).message}\n`);
  process.exit(2);
}
runServiceMain(definition);
