// InvariantError: the AppError for a can't-happen state (a missing wiring in main.ts, a row that vanished inside its
// own transaction, a lookup of an id the code itself chose). It carries the registered code INTERNAL_INVARIANT_BROKEN,
// so the HTTP error handler and the CLI treat it like every other coded error. Use a code of the area instead
// whenever a user, an admin or the environment can cause the state; lint forbids plain `new Error(` in src.

import { AppError } from './app-error.js';
import { INTERNAL_INVARIANT_BROKEN } from './codes/internal.js';

export class InvariantError extends AppError {
  /** `what`: the broken expectation in a few words, with no secret in it (it becomes the message). */
  constructor(what: string, options: { cause?: unknown } = {}) {
    super(INTERNAL_INVARIANT_BROKEN, { params: { what }, ...options });
    this.name = 'InvariantError';
  }
}
