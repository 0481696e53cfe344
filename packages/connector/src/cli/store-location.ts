// Which store a command uses, by one rule: CASEBRIDGE_DATA_DIR when set, else the nearest folder (the current one
// or an ancestor) holding `.casebridge/`, else the per-user default. A command run from a subdirectory so finds the
// project's store instead of silently creating an empty one beside it. Config reads the environment; this asks the
// file system (injectable for tests).

import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import type { Config } from '../config/load-config.js';

export const PROJECT_STORE_DIR = '.casebridge';

export type StoreSource =
  | 'CASEBRIDGE_DATA_DIR'
  | 'nearest .casebridge'
  | 'per-user default'
  /** the demo only: it keeps its throw-away tenant in the folder it runs in, never in the per-user store */
  | 'new .casebridge here';

export interface StoreLocation {
  readonly path: string;
  readonly source: StoreSource;
}

export interface StoreProbe {
  readonly cwd: string;
  isDirectory(path: string): boolean;
}

export const FILE_SYSTEM_PROBE: StoreProbe = {
  get cwd() {
    return process.cwd();
  },
  isDirectory: (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

/** The `.casebridge/` folder nearest to `cwd` (itself, then each parent up to the root), if any. */
export function nearestProjectStore(probe: StoreProbe): string | undefined {
  let dir = resolve(probe.cwd);
  for (;;) {
    const candidate = join(dir, PROJECT_STORE_DIR);
    if (probe.isDirectory(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function locateStore(
  config: Pick<Config, 'dataDir' | 'dataDirExplicit'>,
  probe: StoreProbe = FILE_SYSTEM_PROBE,
): StoreLocation {
  if (config.dataDirExplicit) return { path: config.dataDir, source: 'CASEBRIDGE_DATA_DIR' };
  const found = nearestProjectStore(probe);
  if (found !== undefined) return { path: found, source: 'nearest .casebridge' };
  return { path: config.dataDir, source: 'per-user default' };
}

/**
 * The demo's store: as every command's, except that instead of the per-user default it creates `.casebridge/` in
 * the current folder (the clone, with `npm run demo`), where the next commands then find it.
 */
export function locateDemoStore(
  location: StoreLocation,
  probe: StoreProbe = FILE_SYSTEM_PROBE,
): StoreLocation {
  if (location.source !== 'per-user default') return location;
  return { path: join(resolve(probe.cwd), PROJECT_STORE_DIR), source: 'new .casebridge here' };
}

const WHY: Record<StoreSource, string> = {
  CASEBRIDGE_DATA_DIR: 'CASEBRIDGE_DATA_DIR',
  'nearest .casebridge': 'the nearest .casebridge/ folder',
  'per-user default': 'per-user default: no .casebridge/ in this folder or its parents',
  'new .casebridge here': 'created in this folder: no .casebridge/ here or in its parents',
};

/** `store: PATH (why)`, the line a command prints when it opens a store. */
export function describeStore(location: StoreLocation, via?: { pid: number }): string {
  const why = WHY[location.source];
  const held = via ? `; held by the running service, pid ${via.pid}` : '';
  return `store: ${location.path} (${why}${held})`;
}
