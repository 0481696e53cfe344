// Set-up shared by the multi-worker PostgreSQL tests (`*workers*.pg.test.ts`, first-job-once): a schema of their own
// on the database named by CASEBRIDGE_TEST_DATABASE_URL (dropped afterwards), worker processes started from the
// `*.fixture.ts` files beside this one (through tsx, with bounded lifetimes and captured output), and an emulator
// org added as a tenant of that schema before the workers start.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { addEmulatorTenant } from './emulator-tenant.js';

export interface WorkerSchema {
  /** the database; undefined outside the PostgreSQL tier */
  url: string | undefined;
  schema: string;
  /** the master key every worker on the schema shares */
  masterKey: string;
  /** the `skip` option of a test that needs the database */
  skip: false | string;
  /** drops the schema (and `<schema>_<suffix>` for each suffix, e.g. pg-boss's `boss`) */
  drop(...suffixes: string[]): Promise<void>;
}

/** A fresh schema `<prefix>_<pid>_<random>` on CASEBRIDGE_TEST_DATABASE_URL. */
export function workerSchema(prefix: string): WorkerSchema {
  const url = process.env['CASEBRIDGE_TEST_DATABASE_URL'];
  const schema = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  return {
    url,
    schema,
    masterKey: randomBytes(32).toString('base64'),
    skip: url === undefined && 'needs CASEBRIDGE_TEST_DATABASE_URL (npm run test:pg)',
    async drop(...suffixes) {
      if (url === undefined) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const name of [schema, ...suffixes.map((s) => `${schema}_${s}`)])
          await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Opens a runtime on the schema (as a worker would) with `env` added to its configuration. */
export function openOnSchema(db: WorkerSchema, env: Record<string, string> = {}): Promise<Runtime> {
  return openRuntime(
    loadConfig({ CASEBRIDGE_DATABASE_URL: db.url ?? '', CASEBRIDGE_MASTER_KEY: db.masterKey, ...env }),
    { log: silentLogger(), schema: db.schema },
  );
}

/**
 * Starts an emulator and adds its org as `tenant` on the schema through a runtime that is closed again, so the
 * workers find the tenant and its credentials in the store. `configure` runs on that runtime before it closes.
 */
export async function emulatorTenantOnSchema(
  db: WorkerSchema,
  tenant: string,
  options: { env?: Record<string, string>; configure?: (runtime: Runtime) => Promise<void> } = {},
): Promise<StartedEmulator> {
  const em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), `cb-${db.schema}-`)) });
  const runtime = await openOnSchema(db, options.env);
  try {
    await addEmulatorTenant(runtime.admin, em, tenant);
    await options.configure?.(runtime);
  } finally {
    await runtime.close();
  }
  return em;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** the exit code; null when the process was killed */
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** resolves once stdout holds `text`; rejects when the process exits first with a failure */
  printed(text: string): Promise<void>;
}

/**
 * Starts `<name>.fixture.ts` (beside this file) with `args` through tsx; it is SIGKILLed after `timeoutMs`.
 * With WORKER_DEBUG set, its stderr is copied to ours when it ends.
 */
export function startWorkerFixture(name: string, args: string[], timeoutMs = 120_000): WorkerProcess {
  const fixture = fileURLToPath(new URL(`./${name}.fixture.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      if (process.env['WORKER_DEBUG']) process.stderr.write(err);
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    printed: (text) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (out.includes(text)) resolve();
        };
        child.stdout.on('data', check);
        check();
        void exited.then((code) => {
          if (!out.includes(text))
            reject(new Error(`worker ${name} exited ${code} before '${text}': ${err}`));
        });
      }),
  };
}

/** Runs `<name>.fixture.ts` to its end and parses the last line it printed as JSON; fails on a non-zero exit. */
export async function runWorkerFixture<T>(name: string, args: string[], timeoutMs = 120_000): Promise<T> {
  const worker = startWorkerFixture(name, args, timeoutMs);
  const code = await worker.exited;
  if (code !== 0) throw new Error(`worker ${name} exited ${code}: ${worker.stderr()}`);
  return JSON.parse(worker.stdout().trim().split('\n').pop() ?? '{}') as T;
}
