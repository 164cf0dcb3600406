import { ConfigError, runServiceMain } from '@finmesh/service-kit';
import { invoiceSyncService } from './invoice-sync-service';

let definition;
try {
  definition = invoiceSyncService(process.env);
} catch (err) {
  // Same contract as service-kit's settings: exit code 2 and one line per bad setting.
  if (err instanceof ConfigError) {
    process.stderr.write(`invoice-sync: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
runServiceMain(definition);
