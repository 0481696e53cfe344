// Files the CLI reads (keys, certificates, secret files) and writes (certificates to upload), with failures turned
// into registered errors that name the file and the fix instead of a bare ENOENT.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { appError } from '../errors/app-error.js';
import { CLI_FILE_UNREADABLE, CLI_FILE_UNWRITABLE } from '../errors/codes/admin.js';

function reasonOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'unknown error';
}

/** Reads a text file; `what` names it in the error ("the private key"). */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw appError(CLI_FILE_UNREADABLE, { params: { what, path, reason: reasonOf(err) }, cause: err });
  }
}

/** Writes a file meant to be shared (a certificate to upload), creating its directory. */
export async function writePublicFile(path: string, content: string, what: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: 0o644 });
  } catch (err) {
    throw appError(CLI_FILE_UNWRITABLE, { params: { what, path, reason: reasonOf(err) }, cause: err });
  }
}
