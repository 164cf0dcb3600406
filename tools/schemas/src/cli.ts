import { runSchemaCheck } from './check';
import { writeTypes } from './types';

/**
 * `npm run schemas:check` / `npm run schemas:types`. Further commands (register, topics) are
 * added by the platform lead.
 */
function main(argv: readonly string[]): number {
  const [command] = argv;
  switch (command) {
    case 'check': {
      const result = runSchemaCheck();
      if (result.ok) {
        console.log('schemas: all contracts valid, compatible with their previous versions, generated types in sync');
        return 0;
      }
      console.error(`schemas: ${result.problems.length} problem(s):`);
      for (const problem of result.problems) console.error(`  - ${problem}`);
      return 1;
    }
    case 'types': {
      const { file, changed } = writeTypes();
      console.log(changed ? `schemas: wrote ${file}` : `schemas: ${file} already up to date`);
      return 0;
    }
    default:
      console.error(`usage: cli.ts <check|types>  (got ${command ?? 'nothing'})`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
