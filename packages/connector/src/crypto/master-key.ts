// The master key ring: AES-256 keys that seal secrets at rest. The first key seals; every key opens, so an old key
// stays usable until `casebridge secrets rotate` has re-sealed everything under the new one. Keys come from
// CASEBRIDGE_MASTER_KEY, a 0600 key file, or (embedded mode) a file created on first run in the data directory.
// Pure of process.env: config/ passes the values in.

import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { appError } from '../errors/app-error.js';
import { CONFIG_MASTER_KEY_INVALID, CONFIG_MASTER_KEY_MISSING } from '../errors/codes/config.js';
import {
  SECRETS_KEY_FILE_PERMISSIONS,
  SECRETS_KEY_FILE_UNREADABLE,
  SECRETS_KEY_ID_EXISTS,
  SECRETS_KEY_STILL_USED,
} from '../errors/codes/secrets.js';
import {
  fileMode,
  formatMode,
  fsyncDirectory,
  isOpenToOthers,
  writeFileAtomic,
  writeNewFile,
} from './private-files.js';

export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_FILE_NAME = 'master.key';
/** Key ids end up inside envelopes (`cb1.<keyId>....`), so they may not contain '.', ':' or ','. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** One master key. The bytes never print: inspect, JSON and string conversion show only the id. */
export class MasterKey {
  readonly #bytes: Buffer;
  constructor(
    readonly id: string,
    bytes: Buffer,
  ) {
    this.#bytes = Buffer.from(bytes);
  }
  /** The raw key, for the cipher only. */
  bytes(): Buffer {
    return this.#bytes;
  }
  toJSON(): { id: string } {
    return { id: this.id };
  }
  toString(): string {
    return `MasterKey(${this.id})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

export interface MasterKeyRing {
  /** newest first; `keys[0]` seals */
  readonly keys: readonly MasterKey[];
  readonly current: MasterKey;
  /** where the keys came from, for messages and for rotation (inline keys cannot be rewritten by casebridge) */
  readonly source: { kind: 'inline' } | { kind: 'file'; path: string; created: boolean };
}

function invalid(reason: string): never {
  throw appError(CONFIG_MASTER_KEY_INVALID, { params: { reason } });
}

/**
 * Parses `id:base64,id:base64` (commas or newlines between entries) or one bare base64 key (id `k1`).
 * Errors name the entry's position and id, never its value.
 */
export function parseMasterKeys(text: string): MasterKey[] {
  const entries = text.split(/[,\s]+/).filter((entry) => entry.length > 0);
  if (entries.length === 0) invalid('no key given');
  const keys: MasterKey[] = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    if (colon < 0 && entries.length > 1)
      invalid(`entry ${index + 1} has no "id:" prefix (use id:base64,id:base64)`);
    const id = colon < 0 ? 'k1' : entry.slice(0, colon);
    const encoded = colon < 0 ? entry : entry.slice(colon + 1);
    if (!KEY_ID.test(id))
      invalid(`entry ${index + 1} has an invalid id (letters, digits, "_" and "-", at most 32)`);
    if (keys.some((key) => key.id === id)) invalid(`key id "${id}" appears twice`);
    if (!BASE64.test(encoded)) invalid(`key "${id}" is not base64`);
    const bytes = Buffer.from(
      encoded,
      encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64',
    );
    if (bytes.length !== MASTER_KEY_BYTES) {
      invalid(`key "${id}" is ${bytes.length} bytes; it must be exactly ${MASTER_KEY_BYTES} bytes`);
    }
    keys.push(new MasterKey(id, bytes));
  });
  return keys;
}

/** The file format: one `id:base64` per line, the sealing key first. */
export function formatMasterKeys(keys: readonly MasterKey[]): string {
  return `${keys.map((key) => `${key.id}:${key.bytes().toString('base64')}`).join('\n')}\n`;
}

function ring(keys: MasterKey[], source: MasterKeyRing['source']): MasterKeyRing {
  const current = keys[0];
  if (!current) invalid('no key given');
  return Object.freeze({ keys: Object.freeze([...keys]), current, source });
}

function unreadable(path: string, err: unknown): never {
  const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
  throw appError(SECRETS_KEY_FILE_UNREADABLE, { params: { path, reason }, cause: err });
}

/** Reads a key file, refusing one that group or others can read: a leaked master key opens every secret. */
export function readMasterKeyFile(path: string): MasterKey[] {
  let mode: number;
  let text: string;
  try {
    mode = fileMode(path);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    unreadable(path, err);
  }
  if (isOpenToOthers(mode))
    throw appError(SECRETS_KEY_FILE_PERMISSIONS, { params: { path, mode: formatMode(mode) } });
  return parseMasterKeys(text);
}

/**
 * Embedded mode: the data directory's `master.key`, created on first run (directory 0700, file 0600).
 * The new file is written completely under a unique temporary name and then hard-linked into place: `link`
 * fails if the name exists, so two processes starting together cannot both create a key (one wins, the other
 * reads the winner's), and nobody ever reads a half-written key file.
 */
export function ensureMasterKeyFile(
  dataDir: string,
  random: (size: number) => Buffer = randomBytes,
): MasterKeyRing {
  const path = join(dataDir, MASTER_KEY_FILE_NAME);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // the data directory holds the store and this key: nobody else may list or enter it
    if (isOpenToOthers(statSync(dataDir).mode)) chmodSync(dataDir, 0o700);
  } catch (err) {
    unreadable(dataDir, err);
  }
  const fresh = new MasterKey('k1', random(MASTER_KEY_BYTES));
  const temp = join(dataDir, `.${MASTER_KEY_FILE_NAME}.${process.pid}.${random(6).toString('hex')}.tmp`);
  let created = false;
  try {
    writeNewFile(temp, formatMasterKeys([fresh]), 0o600);
    try {
      linkSync(temp, path);
      created = true;
      // the store will soon hold envelopes sealed under this key: its name must survive a power cut too
      fsyncDirectory(dataDir);
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    }
  } catch (err) {
    unreadable(path, err);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
  }
  return ring(readMasterKeyFile(path), { kind: 'file', path, created });
}

export interface MasterKeySettings {
  /** CASEBRIDGE_MASTER_KEY */
  inline?: string | undefined;
  /** CASEBRIDGE_MASTER_KEY_FILE */
  file?: string | undefined;
  dataDir: string;
  /** embedded (PGlite) store: a key may be created in the data directory; with PostgreSQL every worker must share one */
  embedded: boolean;
}

/** Loads the ring from the configured source (config/ passes the values; nothing here reads the environment). */
export function loadMasterKeyRing(settings: MasterKeySettings): MasterKeyRing {
  if (settings.inline !== undefined && settings.file !== undefined) {
    invalid('set CASEBRIDGE_MASTER_KEY or CASEBRIDGE_MASTER_KEY_FILE, not both');
  }
  if (settings.inline !== undefined) return ring(parseMasterKeys(settings.inline), { kind: 'inline' });
  if (settings.file !== undefined) {
    return ring(readMasterKeyFile(settings.file), { kind: 'file', path: settings.file, created: false });
  }
  if (!settings.embedded)
    throw appError(CONFIG_MASTER_KEY_MISSING, { params: { dataDir: settings.dataDir } });
  return ensureMasterKeyFile(settings.dataDir);
}

/**
 * Step 1 of a master-key rotation: puts a new random key first in the key file, keeping the old keys so every
 * existing envelope still opens. Returns the new key's id. Restart (or reload) the service, then run the rotation.
 */
export function addMasterKeyToFile(
  path: string,
  options: { id?: string; random?: (size: number) => Buffer; usedIds?: readonly string[] } = {},
): string {
  const existing = readMasterKeyFile(path);
  const id = options.id ?? nextKeyId([...existing.map((key) => key.id), ...(options.usedIds ?? [])]);
  if (!KEY_ID.test(id))
    invalid(`the new key id "${id}" is invalid (letters, digits, "_" and "-", at most 32)`);
  if (existing.some((key) => key.id === id)) throw appError(SECRETS_KEY_ID_EXISTS, { params: { keyId: id } });
  const fresh = new MasterKey(id, (options.random ?? randomBytes)(MASTER_KEY_BYTES));
  try {
    writeFileAtomic(path, formatMasterKeys([fresh, ...existing]), 0o600);
  } catch (err) {
    unreadable(path, err);
  }
  return id;
}

/**
 * One past the highest `k<n>` ever used, so an id never names two keys (k1→k2→k3 then k4, never k2 again): a
 * backup sealed under the old k2 must not meet a new k2. `used` holds the ring's ids and those the store has seen.
 */
function nextKeyId(used: readonly string[]): string {
  const numbers = used.map((id) => /^k(\d+)$/.exec(id)?.[1]).filter((n) => n !== undefined);
  return `k${Math.max(0, ...numbers.map(Number)) + 1}`;
}

/**
 * Step 3: drops every key but the first from the key file. `inUse` counts envelopes per key id (from
 * `countEnvelopesByKey`); a key that still seals anything is kept and reported, never dropped.
 */
export function dropRetiredMasterKeys(path: string, inUse: ReadonlyMap<string, number>): string[] {
  const [current, ...older] = readMasterKeyFile(path);
  if (!current) invalid('no key given');
  for (const key of older) {
    const count = inUse.get(key.id) ?? 0;
    if (count > 0) throw appError(SECRETS_KEY_STILL_USED, { params: { keyId: key.id, count } });
  }
  if (older.length === 0) return [];
  try {
    writeFileAtomic(path, formatMasterKeys([current]), 0o600);
  } catch (err) {
    unreadable(path, err);
  }
  return older.map((key) => key.id);
}
