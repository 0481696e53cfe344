// The operator console over a runtime: its panels' data (the runtime's admin operations and console repository)
// and the one-time links and sessions, kept in the store every worker shares.

import { randomBytes } from 'node:crypto';

import type { ConsoleDeps } from '../http/console/console-routes.js';
import type { Runtime } from '../main.js';
import { ConsoleAccess } from '../services/console/console-access.js';
import { ConsoleData } from '../services/console/console-data.js';

export function consoleDepsFor(runtime: Runtime): ConsoleDeps {
  return {
    data: new ConsoleData({ ops: runtime.admin, repo: runtime.store.console, clock: runtime.clock }),
    access: new ConsoleAccess({
      clock: runtime.clock,
      randomToken: () => randomBytes(32).toString('base64url'),
      sessions: runtime.store.consoleSessions,
    }),
    log: runtime.log,
  };
}
