// File helpers for secrets on disk: atomic 0600 writes (temp file + rename) and the "readable by others?" check.

import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
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
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // the umask may have removed bits we asked for (0644 for a certificate); set them exactly
  chmodSync(path, mode);
}

/**
 * Replaces `path` atomically: readers see the old or the new content, never a half-written file, even if the
 * process dies mid-way (temp file in the same directory, fsync, rename).
 */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
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
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
