import type { Command } from 'commander';
import {
  contractVersions,
  type EventName,
  registerContracts,
  RegistryAdmin,
  runSchemaCheck,
  subjectFor,
  topicNameFor,
} from '@finmesh/contracts';
import { diffRegistryContracts } from '@finmesh/ops';
import type { CliContext } from '../cli-context';
import { EXIT } from '../cli-errors';
import { renderTable } from '../output/table';

export function registerSchemasCommand(program: Command, ctx: CliContext): void {
  const schemas = program.command('schemas').description('event contracts: local check, registration, and diff with the registry');
  const subjectOf = () => {
    const prefix = ctx.settings().topicPrefix;
    return (event: EventName) => subjectFor(event, topicNameFor(event, prefix));
  };

  schemas
    .command('check')
    .description('validate local contracts: load, released versions unchanged, compatibility, generated types in sync')
    .action(() => {
      const result = runSchemaCheck();
      if (!result.ok) ctx.fail(EXIT.failure);
      ctx.print(
        () => (result.ok ? 'schemas: all contracts valid and compatible, generated types in sync' : `schemas: ${result.problems.length} problem(s):\n${result.problems.map((p) => `  - ${p}`).join('\n')}`),
        () => result,
      );
    });

  schemas
    .command('register')
    .description('register every local contract version in the registry (idempotent; the registry enforces compatibility)')
    .action(async () => {
      const registryUrl = ctx.settings().registryUrl;
      const subjects = await registerContracts(new RegistryAdmin(registryUrl), contractVersions(), { subjectOf: subjectOf() });
      ctx.print(
        () =>
          `${renderTable(subjects, [
            { header: 'SUBJECT', value: (s) => s.subject },
            { header: 'COMPATIBILITY', value: (s) => s.compatibility },
            { header: 'VERSIONS', value: (s) => s.schemaIds.map((v) => `v${v.version}=id ${v.schemaId}`).join(', ') },
          ])}\n${subjects.length} subject(s) registered at ${registryUrl}`,
        () => ({ registryUrl, subjects }),
      );
    });

  schemas
    .command('diff')
    .description('compare local contracts with the registry per subject and version (exit 1 when they differ)')
    .action(async () => {
      const registryUrl = ctx.settings().registryUrl;
      const diff = await diffRegistryContracts(new RegistryAdmin(registryUrl), contractVersions(), subjectOf());
      if (!diff.inSync) ctx.fail(EXIT.failure);
      const count = (s: string) => diff.entries.filter((e) => e.status === s).length;
      ctx.print(
        () => {
          const off = diff.entries.filter((e) => e.status !== 'same');
          const table = off.length
            ? `${renderTable(off, [
                { header: 'SUBJECT', value: (e) => e.subject },
                { header: 'VERSION', value: (e) => e.version, align: 'right' },
                { header: 'STATUS', value: (e) => e.status },
                { header: 'SCHEMA ID', value: (e) => e.schemaId, align: 'right' },
              ])}\n`
            : '';
          const hint = count('missing') ? ' (register the missing ones with finmesh schemas register)' : '';
          return `${table}${count('same')} same, ${count('missing')} missing, ${count('different')} different, ${count('extra')} extra at ${registryUrl}${hint}`;
        },
        () => ({ registryUrl, inSync: diff.inSync, counts: { same: count('same'), missing: count('missing'), different: count('different'), extra: count('extra') }, entries: diff.entries }),
      );
    });
}
