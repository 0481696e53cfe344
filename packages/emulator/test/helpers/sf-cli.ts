// Runs the real, pinned Salesforce CLI (`sf`, tools/sf-cli) as a child process, offline: fresh HOME, the SF_* switches that stop its update/telemetry calls, and the network blocker.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockerEnv } from './network-guard.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The CLI's entry script (what `tools/sf-cli/node_modules/.bin/sf` links to); run with this Node. */
export const SF_RUN_JS = join(REPO_ROOT, 'tools/sf-cli/node_modules/@salesforce/cli/bin/run.js');

/**
 * The environment that keeps `sf` offline and deterministic (docs/testing.md, real-clients.md §2). Nothing is
 * inherited from the caller but PATH: a developer's own SF_* settings, HOME or NODE_OPTIONS must not leak in.
 */
export function sfEnv(home: string, blockedLog: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    // Set the current name, never only the legacy SF_AUTOUPDATE_DISABLE (that one makes sf spawn `sf update`).
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_DNS_CHECK: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    ...blockerEnv(blockedLog),
  };
}

export interface SfResult {
  code: number | null;
  /** the parsed `--json` output (`{ status, result, warnings }` or `{ name, message, exitCode, ... }`) */
  json: SfJson;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface SfJson {
  status?: number;
  result?: unknown;
  name?: string;
  message?: string;
  exitCode?: number;
  warnings?: string[];
}

/**
 * How long one sf command may take before it is killed. sf spends seconds of CPU loading its plugins before its
 * first request: six at once on the 2-core machine under a load of 21 took 34 s each, all of it before the first
 * request, while the emulator answered every request in under 50 ms. 30 s killed such runs; the connector's CLI
 * helper (test/helpers/cli-process.ts) allows 120 s for the same reason.
 */
const SF_TIMEOUT_MS = 120_000;

export class SfCli {
  constructor(private readonly env: Record<string, string>) {}

  /** A CLI bound to a fresh HOME under `dir`, logging refused connections to `blockedLog`. */
  static inDir(dir: string, blockedLog: string): SfCli {
    if (!existsSync(SF_RUN_JS)) {
      throw new Error(
        `the pinned sf CLI is missing at ${SF_RUN_JS}: run \`node scripts/prepare-tests.mjs\` (npm test's pretest)`,
      );
    }
    const home = join(dir, 'sf-home');
    mkdirSync(home, { recursive: true });
    return new SfCli(sfEnv(home, blockedLog));
  }

  /**
   * Runs `sf <args>` as given, for the commands that have no `--json` (`sf api request rest`): exit code and the
   * printed text.
   */
  runText(
    args: string[],
    timeoutMs = SF_TIMEOUT_MS,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return this.spawnSf(args, timeoutMs);
  }

  /** Runs `sf <args> --json` asynchronously (the emulator answers from this same process: never block it). */
  async run(args: string[], timeoutMs = SF_TIMEOUT_MS): Promise<SfResult> {
    const started = Date.now();
    const { code, stdout, stderr } = await this.spawnSf([...args, '--json'], timeoutMs);
    let json: SfJson;
    try {
      json = JSON.parse(stdout) as SfJson;
    } catch {
      throw new Error(`sf ${args.join(' ')} printed no JSON (exit ${code}): ${stdout}\n${stderr}`);
    }
    return { code, json, stdout, stderr, ms: Date.now() - started };
  }

  private spawnSf(
    args: string[],
    timeoutMs: number,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [SF_RUN_JS, ...args], {
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        // Said as what it is, not as "printed no JSON": a slow start of sf itself, not an answer of the emulator.
        if (killed)
          reject(
            new Error(
              `sf ${args.join(' ')} did not finish in ${timeoutMs} ms and was killed; stdout: ${stdout.slice(0, 500)}; stderr: ${stderr.slice(0, 500)}`,
            ),
          );
        else resolve({ code, stdout, stderr });
      });
    });
  }
}
