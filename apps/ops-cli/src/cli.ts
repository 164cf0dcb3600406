import { Command, CommanderError } from 'commander';
import { CliContext, type CliIo } from './cli-context';
import { registerAuditCommand } from './commands/audit';
import { CommandFailedError, EXIT, UsageError, type ExitCode } from './cli-errors';
import { registerDltCommand } from './commands/dlt';
import { registerLagCommand } from './commands/lag';
import { registerRebuildCommand } from './commands/rebuild';
import { registerReplayCommand } from './commands/replay-group';
import { registerSchemasCommand } from './commands/schemas';
import { registerTopicsCommand } from './commands/topics';

/** The `finmesh` program: every command registered on a context that owns output and clients. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('finmesh')
    .description('finmesh operations: dead letters, replays, rebuilds, lag, topics, schemas, audit')
    .option('--json', 'machine-readable output (stable JSON on stdout; no progress bars)')
    .option('--prefix <prefix>', "topic namespace, e.g. 'staging.' (env FINMESH_TOPIC_PREFIX)")
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 failure (the message says what failed and what to do), 2 bad usage.\n' +
        'Settings: FINMESH_KAFKA_BROKERS, FINMESH_REGISTRY_URL, FINMESH_DB_URL, FINMESH_TOPIC_PREFIX (default: the local dev stack).',
    );
  program.hook('preAction', (_this, action) => {
    ctx.globals = action.optsWithGlobals();
    // Validate the settings before anything runs, so a typo is reported at once with every problem.
    ctx.settings();
  });
  registerDltCommand(program, ctx);
  registerReplayCommand(program, ctx);
  registerRebuildCommand(program, ctx);
  registerLagCommand(program, ctx);
  registerTopicsCommand(program, ctx);
  registerSchemasCommand(program, ctx);
  registerAuditCommand(program, ctx);
  // Usage errors (unknown command or option, missing argument) end in exit 2, on every sub-command.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    return reportError(ctx, e);
  } finally {
    await ctx.close();
  }
}

function reportError(ctx: CliContext, e: unknown): ExitCode {
  if (e instanceof CommanderError) {
    // Commander already printed its message (and the help where asked for).
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
    if (e.code === 'commander.help') return EXIT.usage; // a command group run without its sub-command
    ctx.io.stderr.write('(finmesh --help lists the commands; finmesh <command> --help their options)\n');
    return EXIT.usage;
  }
  const code: ExitCode = e instanceof UsageError ? EXIT.usage : EXIT.failure;
  const message = e instanceof Error ? e.message : String(e);
  if (ctx.json) ctx.io.stderr.write(`${JSON.stringify({ error: { message, kind: e instanceof Error ? e.name : 'Error', exitCode: code } })}\n`);
  else ctx.io.stderr.write(`finmesh: ${message}\n`);
  if (e instanceof Error && !(e instanceof UsageError) && !(e instanceof CommandFailedError) && ctx.io.env['FINMESH_DEBUG']) ctx.io.stderr.write(`${e.stack ?? ''}\n`);
  return code;
}
