// File helpers for secrets on disk: atomic 0600 writes (temp file + rename) and the "readable by others?" check.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Permission bits, e.g. "0644", for messages. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

/** Whether group or others may read, write or search the file (POSIX only; Windows has no such bits). */
export function isOpenToOthers(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o077) !== 0;
}

/** Writes and fsyncs a new file that must not exist yet (`wx`), with the given mode regardless of the umask. */
export function writeNewFile(path: string, content: string, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    // the umask may have removed bits we asked for (0644 for a certificate); set them exactly, before the sync
    fchmodSync(fd, mode);
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes the directory's entries (a file created, renamed or linked into it) durable: without this a power cut can
 * leave the old name, or no name, even though the file's own data was synced. A no-op on Windows, which cannot
 * open a directory; file systems that cannot sync a directory (EINVAL) are accepted as they are.
 */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'EINVAL')) throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` atomically and durably: readers see the old or the new content, never a half-written file, even
 * if the process dies or the power fails mid-way (temp file in the same directory, fsync, rename, fsync of the
 * directory so the rename itself reaches the disk).
 */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeNewFile(temp, content, mode);
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never created or is already renamed
    }
    throw err;
  }
  fsyncDirectory(dir);
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
