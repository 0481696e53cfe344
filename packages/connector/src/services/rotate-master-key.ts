// Master-key rotation: re-seal every stored secret and every stored Salesforce session (its access token is sealed
// under the same master key) that is not under the ring's current key. Each one is swapped with compare-and-swap
// (`replace(x, expected)`), so the rotation can be interrupted at any point and run again: finished ones are
// skipped, and one changed meanwhile by someone else is re-read, not clobbered. A session that cannot be opened is
// cleared instead (the next call logs in again), so it never keeps a retired key alive.

import type {
  SecretBox,
  SecretRepository,
  SessionRepository,
  StoredSecret,
  StoredSession,
} from '../domain/ports.js';
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
  /** secrets and sessions re-sealed under the new key */
  resealed: number;
  /** stored sessions that could not be opened and were cleared (their tenants log in again) */
  sessionsCleared: number;
  /** secrets that could not be opened; they stay under their old key and the old key must stay in the ring */
  failed: MasterKeyRotationFailure[];
  /** envelopes per key id after the run (what `dropRetiredMasterKeys` checks) */
  byKeyId: Map<string, number>;
}

/** What the rotation needs of the session store. */
export type RotatedSessions = Pick<SessionRepository, 'list' | 'replace' | 'get' | 'clear'>;

export interface MasterKeyRotationDeps {
  secrets: SecretRepository;
  sessions: RotatedSessions;
  box: SecretBox;
  log: Logger;
  /** called after each secret; the CLI draws its progress bar from it */
  onProgress?: (progress: MasterKeyRotationProgress) => void;
}

/** A compare-and-swap lost to a concurrent writer is retried this often before the secret is reported failed. */
const MAX_ATTEMPTS = 5;

type Outcome = 'resealed' | 'current' | 'gone' | 'cleared';

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

const sessionBinding = (tenantId: string) => ({ tenantId, field: 'access_token' });

async function resealSession(deps: MasterKeyRotationDeps, session: StoredSession): Promise<Outcome> {
  let current: StoredSession | null = session;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (current === null) return 'gone';
    const envelope = current.accessTokenEnvelope;
    if (keyIdOrNull(deps.box, envelope) === deps.box.currentKeyId) return 'current';
    let token: string;
    try {
      token = deps.box.open(envelope, sessionBinding(current.tenantId));
    } catch (err) {
      // A session is only a cache of a login: rather than keep a key alive for it, drop it and log in again.
      deps.log.warn(
        { tenantId: current.tenantId, code: isAppError(err) ? err.code : 'UNREADABLE' },
        'stored session not re-sealed; cleared',
      );
      await deps.sessions.clear(current.tenantId);
      return 'cleared';
    }
    const resealed = deps.box.seal(token, sessionBinding(current.tenantId));
    if (await deps.sessions.replace({ ...current, accessTokenEnvelope: resealed }, envelope))
      return 'resealed';
    // a worker logged in (or another rotation ran) since we listed it: look again
    current = await deps.sessions.get(session.tenantId);
  }
  throw appError(SECRETS_ROTATION_CONFLICT, { params: { tenant: session.tenantId, field: 'access_token' } });
}

function keyIdOrNull(box: SecretBox, envelope: string): string | null {
  try {
    return box.keyIdOf(envelope);
  } catch {
    return null;
  }
}

/**
 * Counts envelopes per master key id, secrets and stored sessions together: which keys are still needed. A key
 * may be dropped only when nothing counts under it.
 */
export async function countEnvelopesByKey(
  secrets: SecretRepository,
  box: SecretBox,
  sessions?: Pick<SessionRepository, 'list'>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const envelopes = [
    ...(await secrets.list()).map((secret) => secret.envelope),
    ...(sessions ? await sessions.list() : []).map((session) => session.accessTokenEnvelope),
  ];
  for (const envelope of envelopes) {
    const keyId = keyIdOrNull(box, envelope) ?? '(unreadable)';
    counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
  }
  return counts;
}

export async function rotateMasterKey(deps: MasterKeyRotationDeps): Promise<MasterKeyRotationResult> {
  const keyId = deps.box.currentKeyId;
  const log = deps.log.child({ op: 'master-key-rotation', keyId });
  // a malformed envelope is attempted, so it is reported (or, for a session, cleared) rather than silently skipped
  const pending = (await deps.secrets.list()).filter(
    (secret) => keyIdOrNull(deps.box, secret.envelope) !== keyId,
  );
  const pendingSessions = (await deps.sessions.list()).filter(
    (session) => keyIdOrNull(deps.box, session.accessTokenEnvelope) !== keyId,
  );
  const total = pending.length + pendingSessions.length;
  log.info({ total, sessions: pendingSessions.length }, 'master key rotation started');
  let done = 0;
  let resealed = 0;
  let sessionsCleared = 0;
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
  for (const session of pendingSessions) {
    try {
      const outcome = await resealSession({ ...deps, log }, session);
      if (outcome === 'resealed') resealed += 1;
      if (outcome === 'cleared') sessionsCleared += 1;
    } catch (err) {
      if (!isAppError(err) || !err.code.startsWith('SECRETS_')) throw err;
      failed.push({ tenantId: session.tenantId, name: 'access_token', code: err.code });
      log.warn(
        { tenantId: session.tenantId, secret: 'access_token', code: err.code },
        'session not re-sealed',
      );
    }
    done += 1;
    deps.onProgress?.({ done, total });
  }
  const byKeyId = await countEnvelopesByKey(deps.secrets, deps.box, deps.sessions);
  log.info(
    { total, resealed, sessionsCleared, failed: failed.length, byKeyId: Object.fromEntries(byKeyId) },
    'master key rotation finished',
  );
  return { keyId, done, total, resealed, sessionsCleared, failed, byKeyId };
}
