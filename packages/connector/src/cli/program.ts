// The `casebridge` command line: every command with --help and --json, errors printed with their code and fix,
// exit codes from docs/errors.md.

import { Command, CommanderError } from 'commander';

import { appError } from '../errors/app-error.js';
import { CLI_USAGE } from '../errors/codes/admin.js';
import { EXIT } from '../errors/exit-codes.js';
import type { CliContext } from './context.js';
import { CLI_VERSION } from './version.js';
import { reportError } from './output.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerSecretsCommands } from './commands/secrets.js';
import { registerStatusCommand } from './commands/status.js';
import { registerTenantCommands } from './commands/tenants.js';
import { registerKnowledgeCommands } from './commands/knowledge.js';
import { registerWebhookCommands } from './commands/webhook.js';
import { registerOutboxCommands } from './commands/outbox.js';
import { registerCaseCommands } from './commands/cases.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerConsoleCommand } from './commands/console.js';
import { registerConversationCommands } from './commands/conversations.js';
import { registerBotCommands } from './commands/bot.js';

export interface ProgramExtras {
  /** commands registered by the entry point (keygen, setup, emulator, demo, serve) */
  register?: (program: Command, context: () => CliContext, setExitCode: (code: number) => void) => void;
}

/** The commands every entry point has (the entry point adds keygen, setup, emulator, demo and serve). */
export function registerCoreCommands(
  program: Command,
  getContext: () => CliContext,
  setExitCode: (code: number) => void,
): void {
  registerTenantCommands(program, getContext);
  registerDoctorCommand(program, getContext, setExitCode);
  registerSecretsCommands(program, getContext);
  registerStatusCommand(program, getContext);
  registerKnowledgeCommands(program, getContext);
  registerWebhookCommands(program, getContext, setExitCode);
  registerOutboxCommands(program, getContext);
  registerCaseCommands(program, getContext);
  registerJobCommands(program, getContext, setExitCode);
  registerConsoleCommand(program, getContext);
  registerConversationCommands(program, getContext);
  registerBotCommands(program, getContext);
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(
  argv: string[],
  makeContext: (json: boolean) => CliContext,
  extras: ProgramExtras = {},
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  // Known before parsing, so that even a usage error commander raises comes out as JSON.
  const end = argv.indexOf('--');
  const jsonRequested = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  const program = new Command('casebridge')
    .description('Bridge between an employee-support assistant and Salesforce Service Cloud')
    .version(CLI_VERSION, '-V, --version')
    .option('--json', 'print one JSON document on stdout (results and errors); the exit code tells success')
    // every subcommand's --help lists --json (and --version) too
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  // commander's own error line is uncoded; ours (CLI_USAGE with a fix) replaces it in both modes
  program.configureOutput({
    outputError: () => undefined,
    ...(jsonRequested ? { writeErr: () => undefined } : {}),
  });
  let context: CliContext | undefined;
  const getContext = (): CliContext => {
    context ??= makeContext(jsonRequested || program.opts<{ json?: boolean }>().json === true);
    return context;
  };
  registerCoreCommands(program, getContext, setExitCode);
  extras.register?.(program, getContext, setExitCode);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; everything else commander rejects is a usage error.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version')
        return EXIT.ok;
      return reportError(
        appError(CLI_USAGE, {
          params: { summary: err.message.replace(/^error: /, '') },
          details: { commander: err.code },
        }),
        jsonRequested,
      );
    }
    return reportError(
      err,
      jsonRequested || program.opts<{ json?: boolean }>().json === true,
      undefined,
      undefined,
      context?.output.storePath,
    );
  }
}
