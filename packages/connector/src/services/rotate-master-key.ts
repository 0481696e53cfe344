// Master-key rotation: re-seal every stored secret that is not under the ring's current key. Each secret is
// swapped with compare-and-swap (`replace(secret, expected)`), so the rotation can be interrupted at any point and
// run again: finished secrets are skipped, and a secret changed meanwhile by someone else is re-read, not clobbered.

import type { SecretBox, SecretRepository, StoredSecret } from '../domain/ports.js';
import { appError, isAppError } from '../errors/app-error.js';
import { SECRETS_ROTATION_CONFLICT } from '../errors/codes/secrets.js';
import type { Logger } from '../logging/logger.js';

export interface MasterKeyRotationProgress {
  done: number;
  total: number;
}

export interface MasterKeyRotationFailure {
  tenantId: string;
  name: string;
  /** the registered error code (e.g. SECRETS_UNKNOWN_KEY), never the envelope */
  code: string;
}

export interface MasterKeyRotationResult extends MasterKeyRotationProgress {
  /** the key every re-sealed secret is now under */
  keyId: string;
  resealed: number;
  /** secrets that could not be opened; they stay under their old key and the old key must stay in the ring */
  failed: MasterKeyRotationFailure[];
  /** envelopes per key id after the run (what `dropRetiredMasterKeys` checks) */
  byKeyId: Map<string, number>;
}

export interface MasterKeyRotationDeps {
  secrets: SecretRepository;
  box: SecretBox;
  log: Logger;
  /** called after each secret; the CLI draws its progress bar from it */
  onProgress?: (progress: MasterKeyRotationProgress) => void;
}

/** A compare-and-swap lost to a concurrent writer is retried this often before the secret is reported failed. */
const MAX_ATTEMPTS = 5;

type Outcome = 'resealed' | 'current' | 'gone';

async function resealOne(deps: MasterKeyRotationDeps, secret: StoredSecret): Promise<Outcome> {
  let envelope: string | null = secret.envelope;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (envelope === null) return 'gone';
    if (deps.box.keyIdOf(envelope) === deps.box.currentKeyId) return 'current';
    const binding = { tenantId: secret.tenantId, field: secret.name };
    const resealed = deps.box.seal(deps.box.open(envelope, binding), binding);
    if (await deps.secrets.replace({ ...secret, envelope: resealed }, envelope)) return 'resealed';
    // someone wrote this secret since we listed it (a key rotation, another rotation run): look again
    envelope = await deps.secrets.get(secret.tenantId, secret.name);
  }
  throw appError(SECRETS_ROTATION_CONFLICT, { params: { tenant: secret.tenantId, field: secret.name } });
}

/** Counts envelopes per master key id: which keys are still needed. */
export async function countEnvelopesByKey(
  secrets: SecretRepository,
  box: SecretBox,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const secret of await secrets.list()) {
    let keyId: string;
    try {
      keyId = box.keyIdOf(secret.envelope);
    } catch {
      keyId = '(unreadable)';
    }
    counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
  }
  return counts;
}

export async function rotateMasterKey(deps: MasterKeyRotationDeps): Promise<MasterKeyRotationResult> {
  const keyId = deps.box.currentKeyId;
  const log = deps.log.child({ op: 'master-key-rotation', keyId });
  const pending = (await deps.secrets.list()).filter((secret) => {
    try {
      return deps.box.keyIdOf(secret.envelope) !== keyId;
    } catch {
      return true; // a malformed envelope is attempted, so it is reported as failed rather than silently skipped
    }
  });
  const total = pending.length;
  log.info({ total }, 'master key rotation started');
  let done = 0;
  let resealed = 0;
  const failed: MasterKeyRotationFailure[] = [];
  deps.onProgress?.({ done, total });
  for (const secret of pending) {
    try {
      if ((await resealOne(deps, secret)) === 'resealed') resealed += 1;
    } catch (err) {
      // a secret that cannot be opened is that secret's problem: report it and go on. Anything else (the store
      // went away) stops the run; it is resumable, so nothing is lost by stopping.
      if (!isAppError(err) || !err.code.startsWith('SECRETS_')) throw err;
      failed.push({ tenantId: secret.tenantId, name: secret.name, code: err.code });
      log.warn({ tenantId: secret.tenantId, secret: secret.name, code: err.code }, 'secret not re-sealed');
    }
    done += 1;
    deps.onProgress?.({ done, total });
  }
  const byKeyId = await countEnvelopesByKey(deps.secrets, deps.box);
  log.info(
    { total, resealed, failed: failed.length, byKeyId: Object.fromEntries(byKeyId) },
    'master key rotation finished',
  );
  return { keyId, done, total, resealed, failed, byKeyId };
}
