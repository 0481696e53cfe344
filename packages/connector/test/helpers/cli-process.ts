// Runs the `casebridge` CLI as a user does (a child process of bin/casebridge.js), and `casebridge serve` as a
// long-running child, with bounded waits and captured output, for the CLI and secret-leak integration tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The command as it ships: bin/casebridge.js runs the sources through tsx. */
export const REAL_CASEBRIDGE_BIN = fileURLToPath(new URL('../../bin/casebridge.js', import.meta.url));
/**
 * The command the tests start: the same sources bundled once per run by scripts/run-tests.mjs when it names one
 * (CASEBRIDGE_TEST_CLI, half the start-up CPU), else the real one.
 */
export const CASEBRIDGE_BIN = process.env['CASEBRIDGE_TEST_CLI'] ?? REAL_CASEBRIDGE_BIN;
const STORE_HOLDER = fileURLToPath(new URL('./hold-store.fixture.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: only what casebridge needs, never the parent's CASEBRIDGE_* settings. */
export function cliEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('CASEBRIDGE_')) env[key] = value;
  return {
    ...env,
    CASEBRIDGE_DATA_DIR: dataDir,
    CASEBRIDGE_ADMIN_PORT: '0',
    CASEBRIDGE_HTTP_PORT: '0',
    CASEBRIDGE_BOT_PORT: '0',
    ...extra,
  };
}

/** Runs one command to completion (killed after `timeoutMs`), in `cwd` when given. */
export function runCasebridge(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
  cwd?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CASEBRIDGE_BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd === undefined ? {} : { cwd }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`casebridge ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface LongRunning {
  child: ChildProcess;
  pid: number;
  /** everything written so far */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone */
  stop(): Promise<void>;
}

function startLongRunning(
  command: string[],
  env: NodeJS.ProcessEnv,
  ready: (stdout: string) => boolean,
  timeoutMs: number,
): Promise<LongRunning> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let exited = false;
    const gone = new Promise<void>((done) =>
      child.on('close', () => {
        exited = true;
        done();
      }),
    );
    const handle: LongRunning = {
      child,
      pid: child.pid ?? -1,
      stdout: () => out,
      stderr: () => err,
      stop: async () => {
        if (exited) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(killer);
      },
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command.join(' ')} not ready in ${timeoutMs} ms; stderr: ${err.slice(0, 500)}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (ready(out)) {
        clearTimeout(timer);
        resolve(handle);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${command.join(' ')} exited (${String(code)}) before it was ready; stderr: ${err.slice(0, 500)}`,
        ),
      );
    });
  });
}

const ADMIN_URL = /"adminUrl":\s*"([^"]+)"/;

/** `casebridge --json serve`, resolved once it printed its admin URL. */
export async function startServe(
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<LongRunning & { adminUrl: string }> {
  const handle = await startLongRunning(
    [CASEBRIDGE_BIN, '--json', 'serve'],
    env,
    (out) => ADMIN_URL.test(out),
    timeoutMs,
  );
  return { ...handle, adminUrl: ADMIN_URL.exec(handle.stdout())?.[1] ?? '' };
}

/** Any long-running `casebridge` command, resolved once its stdout matches `ready`. */
export function startCasebridge(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<LongRunning> {
  return startLongRunning([CASEBRIDGE_BIN, ...args], env, (out) => ready.test(out), timeoutMs);
}

/** A process that holds the embedded store of `env`'s data directory without serving an admin API. */
export function startStoreHolder(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<LongRunning> {
  return startLongRunning(
    ['--import', 'tsx', STORE_HOLDER],
    env,
    (out) => out.includes('"ready":true'),
    timeoutMs,
  );
}

/** The JSON document a `--json` command printed on stdout (or an error's on stderr). */
export function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not one JSON document: ${text.slice(0, 300)}`);
  }
}

/** `casebridge tenants add` arguments for an emulator org, with its demo key pair and a certificate output dir. */
export function tenantAddArgs(
  em: { loginUrl: string; username: string; privateKeyPath: string; certificatePath: string },
  id: string,
  options: { consumerKey: string; certOut: string; extra?: string[] },
): string[] {
  return [
    'tenants',
    'add',
    id,
    '--login-url',
    em.loginUrl,
    '--consumer-key',
    options.consumerKey,
    '--username',
    em.username,
    '--key',
    em.privateKeyPath,
    '--cert',
    em.certificatePath,
    '--cert-out',
    options.certOut,
    ...(options.extra ?? []),
  ];
}
