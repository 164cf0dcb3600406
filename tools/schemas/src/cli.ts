import {
  asyncApiInSync,
  ContractRejectedError,
  localSchemaSource,
  provisionPlatform,
  provisionTopics,
  provisioningKafkaSettings,
  registerPlatformContracts,
  runSchemaCheck,
  runSchemaLock,
  writeAsyncApi,
  writeTypes,
} from '@finmesh/contracts';

/**
 * `npm run schemas:check | schemas:lock | schemas:types | schemas:register | topics:create`.
 * Exit codes: 0 ok, 1 failure, 2 bad usage.
 */
const registryUrl = process.env['FINMESH_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const replicationFactor = Number(process.env['FINMESH_TOPIC_REPLICATION_FACTOR'] ?? '1');

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'check': {
      const result = runSchemaCheck();
      const asyncApi = result.ok ? asyncApiInSync() : { inSync: true };
      if (!asyncApi.inSync) result.problems.push(`docs/asyncapi.json is out of date with the catalog and the schemas: run npm run schemas:types\n${asyncApi.diff ?? ''}`);
      if (result.problems.length === 0) {
        console.log(`schemas: all contracts valid, compatible with their previous versions, generated types in sync, ${localSchemaSource().businessRules.declared.length} business rules valid`);
        return 0;
      }
      console.error(`schemas: ${result.problems.length} problem(s):`);
      for (const problem of result.problems) console.error(`  - ${problem}`);
      return 1;
    }
    case 'lock': {
      const result = runSchemaLock();
      if (!result.ok) {
        console.error(`schemas: nothing released, ${result.problems.length} problem(s):`);
        for (const problem of result.problems) console.error(`  - ${problem}`);
        return 1;
      }
      console.log(result.added.length > 0 ? `schemas: released ${result.added.join(', ')}` : 'schemas: every version is already released');
      return 0;
    }
    case 'types': {
      for (const { file, changed } of [writeTypes(), writeAsyncApi()]) console.log(changed ? `schemas: wrote ${file}` : `schemas: ${file} already up to date`);
      return 0;
    }
    case 'register': {
      const subjects = await registerPlatformContracts(registryUrl);
      for (const s of subjects) {
        console.log(`${s.subject}  ${s.compatibility}  ${s.schemaIds.map((v) => `v${v.version}=id ${v.schemaId}`).join(', ')}`);
      }
      console.log(`schemas: ${subjects.length} subjects registered at ${registryUrl}`);
      return 0;
    }
    case 'topics': {
      for (const t of (await provisionTopics({ kafka: provisioningKafkaSettings(), replicationFactor })).topics) {
        console.log(`${t.topic}  ${t.partitions} partitions  ${t.action}`);
      }
      return 0;
    }
    case 'provision': {
      const result = await provisionPlatform({ kafka: provisioningKafkaSettings(), registryUrl, replicationFactor });
      console.log(`topics: ${result.topics.length}, subjects: ${result.subjects.length}`);
      return 0;
    }
    default:
      console.error(`usage: cli.ts <check|lock|types|register|topics|provision>  (got ${command ?? 'nothing'})`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`schemas: ${err instanceof ContractRejectedError ? err.message : err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
