// The key pair on disk, as `keygen` writes it and `keygen --import-to` reads it back: salesforce.key (0600) and
// salesforce.crt (0644) in a directory created 0700. An existing key is never overwritten without `force`.

import { chmodSync, existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { appError } from '../errors/app-error.js';
import { KEYS_FILE_EXISTS, KEYS_FILE_UNREADABLE } from '../errors/codes/keys.js';
import { fileMode, formatMode, isOpenToOthers, writeFileAtomic, writeNewFile } from './private-files.js';

export const KEY_FILE_NAME = 'salesforce.key';
export const CERTIFICATE_FILE_NAME = 'salesforce.crt';

export interface WrittenKeyPair {
  keyPath: string;
  certificatePath: string;
  /** whether the directory was created (0700) by this call */
  createdDirectory: boolean;
  /** whether an existing key was replaced (only with force) */
  replacedKey: boolean;
}

function failed(path: string, err: unknown): never {
  const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
  throw appError(KEYS_FILE_UNREADABLE, { params: { path, reason }, cause: err });
}

/** Writes the pair; refuses to replace an existing key unless `force` (KEYS_FILE_EXISTS names the path). */
export function writeKeyPair(
  dir: string,
  pair: { privateKeyPem: string; certificatePem: string },
  options: { force?: boolean } = {},
): WrittenKeyPair {
  const directory = resolve(dir);
  const keyPath = join(directory, KEY_FILE_NAME);
  const certificatePath = join(directory, CERTIFICATE_FILE_NAME);
  let createdDirectory = false;
  try {
    createdDirectory = mkdirSync(directory, { recursive: true, mode: 0o700 }) !== undefined;
    if (createdDirectory) chmodSync(directory, 0o700);
  } catch (err) {
    failed(directory, err);
  }
  const replacedKey = existsSync(keyPath);
  if (replacedKey && !options.force) throw appError(KEYS_FILE_EXISTS, { params: { path: keyPath } });
  try {
    if (replacedKey) writeFileAtomic(keyPath, pair.privateKeyPem, 0o600);
    // `wx` even after the check above: a key that appeared meanwhile is still never overwritten
    else writeNewFile(keyPath, pair.privateKeyPem, 0o600);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') {
      throw appError(KEYS_FILE_EXISTS, { params: { path: keyPath } });
    }
    failed(keyPath, err);
  }
  try {
    // the certificate is public (it is uploaded to Salesforce); replace it atomically to stay paired with the key
    writeFileAtomic(certificatePath, pair.certificatePem, 0o644);
  } catch (err) {
    failed(certificatePath, err);
  }
  return { keyPath, certificatePath, createdDirectory, replacedKey };
}

export interface ReadKeyFile {
  pem: string;
  /** permission bits, e.g. "0644" */
  mode: string;
  /** group or others may read it: the CLI warns and suggests deleting the file once it is imported */
  readableByOthers: boolean;
}

/** Reads a PEM file (key or certificate) and reports whether others could read it. */
export function readKeyFile(path: string): ReadKeyFile {
  try {
    const mode = fileMode(path);
    return {
      pem: readFileSync(path, 'utf8'),
      mode: formatMode(mode),
      readableByOthers: isOpenToOthers(mode),
    };
  } catch (err) {
    failed(path, err);
  }
}

/** Deletes a key file once its key is sealed in the store (`keygen --import-to ... --delete`). */
export function removeKeyFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    failed(path, err);
  }
}
