// Which master key an id names, proven against the store at start: a key check value (HMAC-SHA256 of a fixed
// label under the key, the "key check value" idea of payment HSMs) per key id. A worker whose ring disagrees with
// the store is refused before it seals anything; ids recorded here are never handed out again.

import { createHmac } from 'node:crypto';

import { appError } from '../errors/app-error.js';
import {
  SECRETS_MASTER_KEY_MISMATCH,
  SECRETS_MASTER_KEY_RETIRED,
  SECRETS_MASTER_KEY_UNKNOWN,
} from '../errors/codes/secrets.js';
import type { MasterKey, MasterKeyRing } from './master-key.js';

const LABEL = 'casebridge master key check v1';

export interface MasterKeyCheckStore {
  list(): Promise<{ keyId: string; checkValue: string; retiredAt: string | null }[]>;
  record(keyId: string, checkValue: string, at: Date): Promise<void>;
  retire(keyIds: readonly string[], at: Date): Promise<void>;
}

/** 128 bits of HMAC: enough to tell keys apart, useless for recovering one. */
export function keyCheckValue(key: MasterKey): string {
  return createHmac('sha256', key.bytes()).update(LABEL).digest('hex').slice(0, 32);
}

/**
 * Compares the ring with the store's check values and records the ring's new ids. Refuses a key whose id the
 * store knows with another value, a sealing key a rotation retired, and a ring of which the store knows no key
 * while it knows others. Returns every key id the store has ever seen (for choosing the next id).
 */
export async function verifyMasterKeyRing(
  ring: MasterKeyRing,
  store: MasterKeyCheckStore,
  now: Date,
): Promise<string[]> {
  const known = new Map((await store.list()).map((row) => [row.keyId, row]));
  for (const key of ring.keys) {
    const row = known.get(key.id);
    if (row && row.checkValue !== keyCheckValue(key))
      throw appError(SECRETS_MASTER_KEY_MISMATCH, { params: { keyId: key.id } });
  }
  const current = known.get(ring.current.id);
  if (current?.retiredAt)
    throw appError(SECRETS_MASTER_KEY_RETIRED, {
      params: { keyId: ring.current.id, retiredAt: current.retiredAt },
    });
  const live = [...known.values()].filter((row) => row.retiredAt === null).map((row) => row.keyId);
  if (live.length > 0 && !ring.keys.some((key) => known.has(key.id)))
    throw appError(SECRETS_MASTER_KEY_UNKNOWN, {
      params: { keyIds: ring.keys.map((key) => key.id).join(', '), known: live.join(', ') },
    });
  for (const key of ring.keys) if (!known.has(key.id)) await store.record(key.id, keyCheckValue(key), now);
  return [...new Set([...known.keys(), ...ring.keys.map((key) => key.id)])];
}
