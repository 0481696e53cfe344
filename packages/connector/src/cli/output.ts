// Output for the CLI: human text on a terminal, one JSON document with --json, errors with their code and fix,
// and exit codes scripts can trust (docs/errors.md).

import { AppError, isAppError } from '../errors/app-error.js';
import { EXIT } from '../errors/exit-codes.js';
import { scrubSecrets, scrubValue } from '../logging/scrub-secrets.js';
import { printable } from './printable.js';
import { describeStore, type StoreLocation } from './store-location.js';

export interface Output {
  readonly json: boolean;
  /** a line of human output (suppressed with --json) */
  line(text?: string): void;
  /** the command's result: printed as JSON with --json, else rendered by `human` */
  result(value: unknown, human: () => void): void;
  /** a warning on stderr */
  warn(text: string): void;
  /**
   * The command opened this store: says so (`store: PATH (why)` on stderr for a person; a `store` field of the
   * JSON document, result or error, for a script).
   */
  opened(store: StoreLocation, service?: { pid: number }): void;
  /** the store's path once `opened` */
  readonly storePath: string | undefined;
}

export function createOutput(
  json: boolean,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Output {
  let storePath: string | undefined;
  return {
    json,
    line: (text = '') => {
      if (!json) out.write(`${printable(text)}\n`);
    },
    result: (value, human) => {
      if (json) out.write(`${JSON.stringify(withStore(value, storePath), null, 2)}\n`);
      else human();
    },
    warn: (text) => {
      err.write(`warning: ${printable(text)}\n`);
    },
    opened: (store, service) => {
      storePath = store.path;
      if (!json) err.write(`${printable(describeStore(store, service))}\n`);
    },
    get storePath() {
      return storePath;
    },
  };
}

/** A JSON document (an object) with the opened store's path; other values unchanged. */
function withStore(value: unknown, store: string | undefined): unknown {
  if (store === undefined || value === null || typeof value !== 'object' || Array.isArray(value))
    return value;
  return { store, ...(value as Record<string, unknown>) };
}

/**
 * Prints an error (secret-scrubbed) and returns the exit code for it. With --json the error is the command's one
 * JSON document, on stdout like every other outcome (`| jq` sees it; the exit code tells success); else text on
 * stderr.
 */
export function reportError(
  error: unknown,
  json: boolean,
  err: NodeJS.WritableStream = process.stderr,
  out: NodeJS.WritableStream = process.stdout,
  store?: string,
): number {
  if (isAppError(error)) {
    if (json) out.write(`${JSON.stringify(withStore(scrubValue(error.toJSON()), store), null, 2)}\n`);
    else {
      err.write(`error ${error.code}: ${printable(scrubSecrets(error.message))}\n`);
      err.write(`  fix: ${printable(scrubSecrets(error.fix))}\n`);
      const issues = error.details?.['issues'];
      if (Array.isArray(issues)) {
        for (const issue of issues as { path?: string; variable?: string; message: string }[]) {
          err.write(`  - ${printable(`${issue.path ?? issue.variable ?? ''}: ${issue.message}`)}\n`);
        }
      }
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json)
    out.write(
      `${JSON.stringify(withStore({ error: { code: 'UNEXPECTED', message: scrubSecrets(message), fix: UNEXPECTED_FIX } }, store), null, 2)}\n`,
    );
  else {
    err.write(`error UNEXPECTED: ${printable(scrubSecrets(message))}\n`);
    err.write(`  fix: ${UNEXPECTED_FIX}\n`);
  }
  return EXIT.failure;
}

/** The fix of an error casebridge did not raise on purpose (docs/errors.md lists UNEXPECTED too). */
export const UNEXPECTED_FIX =
  'This is a bug or an environment problem casebridge does not recognise: run again with CASEBRIDGE_LOG_LEVEL=debug and report the message.';

/** Renders rows as an aligned text table. */
export function table(rows: Record<string, string>[], columns: string[]): string {
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    render(columns.map((c) => c.toUpperCase())),
    ...rows.map((row) => render(columns.map((c) => row[c] ?? ''))),
  ].join('\n');
}

export { AppError };
