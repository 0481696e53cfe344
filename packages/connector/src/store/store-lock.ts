// Exclusive ownership of the embedded store's data directory for the life of a process, and the holder's info.
//
// Why a pid lock file rather than proper-lockfile: proper-lockfile (mkdir + mtime refresh) only declares a lock
// stale after its `stale` timeout, so a service restarted after `kill -9` would wait or fail, and it records no
// holder pid, which the CLI needs to name the holder and find its admin API. A pid file lets us (1) name the
// holder, (2) recover at once when the holder is dead (kill(pid, 0) answers ESRCH), and (3) stay correct on pid
// reuse by also recording the holder's start time from /proc. The file is published with link(2), which is
// atomic and fails when the name exists, so a reader never sees a half-written lock.

import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import type { Clock } from '../domain/ports.js';
import { appError } from '../errors/app-error.js';
import { STORE_LOCKED, STORE_UNAVAILABLE } from '../errors/codes/store.js';

const LOCK_FILE = 'store.lock';
const SERVICE_FILE = 'service.json';

interface LockContent {
  pid: number;
  hostname: string;
  /** the holder's start time in clock ticks since boot (/proc/<pid>/stat field 22), null where /proc is absent */
  startTicks: string | null;
  token: string;
  acquiredAt: string;
}

export interface StoreLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

/** What the running service publishes so the CLI can reach its admin API instead of opening the store. */
export interface ServiceInfo {
  pid: number;
  adminUrl?: string;
  startedAt?: string;
}

/** Locks held by this process, released on exit even when close() is never called. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockContent | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return null;
    return {
      pid: parsed.pid,
      hostname: parsed.hostname ?? '',
      startTicks: parsed.startTicks ?? null,
      token: parsed.token,
      acquiredAt: parsed.acquiredAt ?? '',
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Unparseable content cannot come from link(2) publishing; treat it as a dead holder's leftover.
    return { pid: 0, hostname: hostname(), startTicks: null, token: 'corrupt', acquiredAt: '' };
  }
}

/** Whether the process recorded in a lock still holds it (a live process that is the same one that wrote it). */
function holderIsLive(lock: LockContent, path: string): boolean {
  // On another host we cannot check; a shared data directory must then be treated as held.
  if (lock.hostname !== hostname()) return true;
  if (lock.pid === process.pid) return held.get(path) === lock.token;
  if (lock.pid <= 0 || !isAlive(lock.pid)) return false;
  const ticks = processStartTicks(lock.pid);
  return lock.startTicks === null || ticks === null || ticks === lock.startTicks;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, token] of held) removeIfOurs(path, token);
  });
}

function removeIfOurs(path: string, token: string): void {
  if (readLock(path)?.token === token) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
  held.delete(path);
}

/**
 * Creates `dir` (and parents) with mode 0700, and tightens it to 0700 when it already exists more open (a
 * directory made by hand or by an older version at 0755): it holds keys and the database.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * Makes every file under `dir` 0600 and every directory 0700. PGlite creates its files with the default mode
 * (0666 less the umask); the 0700 directory already keeps others out, this keeps a later `chmod 755` of the data
 * directory from exposing them.
 */
export function tightenTree(dir: string): void {
  if (process.platform === 'win32') return;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) chmodSync(path, 0o700);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
  chmodSync(dir, 0o700);
}

/**
 * Takes the exclusive lock on `dataDir`'s embedded store, or throws STORE_LOCKED naming the holder's pid.
 * Call before opening the PGlite directory, so a second process never touches it.
 */
export function acquireStoreLock(dataDir: string, clock: Clock): StoreLock {
  ensurePrivateDir(dataDir);
  const path = join(dataDir, LOCK_FILE);
  const token = randomBytes(16).toString('hex');
  const content: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    startTicks: processStartTicks(process.pid),
    token,
    acquiredAt: clock.now().toISOString(),
  };
  const staging = `${path}.${process.pid}.${token}`;
  const fd = openSync(staging, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(content));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        linkSync(staging, path);
        held.set(path, token);
        installExitHook();
        // We hold the store now: a service.json left by a holder that died (kill -9, failed start) names no one.
        removeServiceInfoOfOthers(dataDir);
        return { path, release: () => removeIfOurs(path, token) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw appError(STORE_UNAVAILABLE, {
            params: { reason: `cannot lock ${dataDir}: ${(err as Error).message}` },
            cause: err,
          });
        }
      }
      const holder = readLock(path);
      if (holder === null) continue;
      if (holderIsLive(holder, path))
        throw appError(STORE_LOCKED, { params: { dataDir, pid: holder.pid }, details: { pid: holder.pid } });
      removeStale(path, holder);
    }
    const holder = readLock(path);
    throw appError(STORE_LOCKED, {
      params: { dataDir, pid: holder?.pid ?? 'unknown' },
      details: { pid: holder?.pid ?? null },
    });
  } finally {
    try {
      unlinkSync(staging);
    } catch {
      // The staging name is ours alone; a leftover is harmless.
    }
  }
}

/**
 * Moves a dead holder's lock aside. Renaming first (rather than unlinking) means that if another process replaced
 * the stale lock with a live one in the meantime, we notice that we moved a live lock and put it back.
 */
function removeStale(path: string, stale: LockContent): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readLock(aside);
  if (moved !== null && moved.token !== stale.token) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else took the name meanwhile; the loop re-reads who holds it.
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Nothing else uses this name.
  }
}

/** The pid holding `dataDir`'s store, or null when nobody (alive) does. */
export function readStoreHolder(dataDir: string): { pid: number } | null {
  const path = join(dataDir, LOCK_FILE);
  const lock = readLock(path);
  return lock !== null && holderIsLive(lock, path) ? { pid: lock.pid } : null;
}

/** Publishes the running service's info (0600, atomic replace) so the CLI can find its admin API. */
export function writeServiceInfo(dataDir: string, info: ServiceInfo): void {
  ensurePrivateDir(dataDir);
  const path = join(dataDir, SERVICE_FILE);
  const staging = `${path}.${process.pid}.tmp`;
  const fd = openSync(staging, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(info));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(staging, path);
}

/** The running service's info, or null when no live process holds the store (stale files are ignored). */
export function readServiceInfo(dataDir: string): ServiceInfo | null {
  const holder = readStoreHolder(dataDir);
  if (holder === null) return null;
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, SERVICE_FILE), 'utf8')) as Partial<ServiceInfo>;
    if (parsed.pid !== holder.pid) return { pid: holder.pid };
    const info: ServiceInfo = { pid: parsed.pid };
    if (typeof parsed.adminUrl === 'string') info.adminUrl = parsed.adminUrl;
    if (typeof parsed.startedAt === 'string') info.startedAt = parsed.startedAt;
    return info;
  } catch {
    return { pid: holder.pid };
  }
}

function removeServiceInfoOfOthers(dataDir: string): void {
  const path = join(dataDir, SERVICE_FILE);
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServiceInfo>;
    if (parsed.pid === process.pid) return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
  }
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}

/** Removes the service info if this process wrote it (on close). */
export function clearServiceInfo(dataDir: string): void {
  const path = join(dataDir, SERVICE_FILE);
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServiceInfo>;
    if (parsed.pid === process.pid) unlinkSync(path);
  } catch {
    // Missing or unreadable: nothing of ours to remove.
  }
}
