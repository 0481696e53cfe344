// Entry point of the `casebridge` command: builds the context (configuration, output, admin access) and runs it.

import { loadConfig, type Config } from '../config/load-config.js';
import { createLogger } from '../logging/logger.js';
import { pino } from 'pino';
import { openAdminSession } from './admin-access.js';
import type { CliContext } from './context.js';
import { humanLogDestination } from './human-log.js';
import { createOutput, reportError } from './output.js';
import { runCli } from './program.js';
import { locateStore } from './store-location.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerKeygenCommand } from './commands/keygen.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSetupCommand } from './commands/setup.js';

function makeContext(json: boolean): CliContext {
  let loaded: Config;
  try {
    loaded = loadConfig();
  } catch (err) {
    process.exit(reportError(err, json));
  }
  const store = locateStore(loaded);
  const config: Config = Object.freeze({ ...loaded, dataDir: store.path });
  // Commands log to stderr, quietly unless asked: stdout is for results. A person reads lines, a script JSON.
  const level = config.log.explicit ? config.log.level : 'warn';
  const log = createLogger({ level, destination: json ? pino.destination(2) : humanLogDestination() });
  const output = createOutput(json);
  return {
    config,
    store,
    output,
    admin: async () => {
      const session = await openAdminSession(config, log);
      output.opened(store, session.servicePid === undefined ? undefined : { pid: session.servicePid });
      return session;
    },
  };
}

// A reader that stops early (`casebridge tenants list | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli(process.argv.slice(2), makeContext, {
  register: (program, context, setExitCode) => {
    registerKeygenCommand(program, context);
    registerSetupCommand(program, context);
    registerEmulatorCommand(program, context);
    registerServeCommand(program, context);
    registerDemoCommand(program, context, setExitCode);
    registerMcpCommand(program, context);
  },
});
process.exitCode = code;
