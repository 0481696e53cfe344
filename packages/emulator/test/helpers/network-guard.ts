// Helpers for running client processes under the network blocker preload and reading what it refused.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the preload that refuses every non-loopback connection (see block-network.cjs). */
export const BLOCKER_PATH = fileURLToPath(new URL('./block-network.cjs', import.meta.url));

/** Name of the environment variable naming the file the blocker appends refused attempts to. */
export const BLOCKED_LOG_ENV = 'CASEBRIDGE_BLOCKED_NET_LOG';

export interface BlockedAttempt {
  kind: 'connect' | 'dns';
  host: string;
  port: number | null;
  pid: number;
}

/** Environment additions that load the blocker into a Node child process (and its own children). */
export function blockerEnv(logFile: string, existing?: string): Record<string, string> {
  const preload = `--require ${BLOCKER_PATH}`;
  const nodeOptions = existing === undefined || existing === '' ? preload : `${existing} ${preload}`;
  return { NODE_OPTIONS: nodeOptions, [BLOCKED_LOG_ENV]: logFile };
}

/** Every refused attempt logged so far (an empty list when the file does not exist yet). */
export function readBlocked(logFile: string): BlockedAttempt[] {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BlockedAttempt);
}
