// Employee sessions held per worker: a session in use is read from the store once per SESSION_CACHE_MS, and a
// revocation made on another worker is seen within that window (at once on the worker that made it).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { BotSession, BotSessionRepository } from '../../domain/bot/bot-ports.js';
import { silentLogger } from '../../logging/logger.js';
import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { BotSessionService, hashSession, SESSION_CACHE_MS, type BotSessionDeps } from './bot-sessions.js';

/** One shared store's session rows, counting its reads. */
class SharedSessions implements BotSessionRepository {
  readonly rows = new Map<string, BotSession>();
  reads = 0;
  insert(session: BotSession): Promise<void> {
    this.rows.set(session.tokenHash, { ...session });
    return Promise.resolve();
  }
  get(tokenHash: string): Promise<BotSession | null> {
    this.reads += 1;
    const row = this.rows.get(tokenHash);
    return Promise.resolve(row === undefined ? null : { ...row });
  }
  touch(tokenHash: string, at: string): Promise<void> {
    const row = this.rows.get(tokenHash);
    if (row !== undefined) row.lastUsedAt = at;
    return Promise.resolve();
  }
  revoke(tokenHash: string, at: string): Promise<boolean> {
    const row = this.rows.get(tokenHash);
    if (row === undefined || row.revokedAt !== null) return Promise.resolve(false);
    row.revokedAt = at;
    return Promise.resolve(true);
  }
}

function worker(sessions: SharedSessions, clock: FixedClock): BotSessionService {
  const unused = (): never => {
    throw new Error('not used by authenticate');
  };
  return new BotSessionService({
    tenants: { show: unused },
    identity: { get: unused, put: unused },
    tokenIds: { remember: unused, purgeExpired: unused },
    sessions,
    verifier: { verify: unused } as unknown as BotSessionDeps['verifier'],
    gateways: { forTenant: unused },
    clock,
    log: silentLogger(),
  });
}

async function seeded(
  clock: FixedClock,
  lifetimeMs = 3_600_000,
): Promise<{ sessions: SharedSessions; token: string }> {
  const sessions = new SharedSessions();
  const token = 'cbs_test-session-token';
  const now = clock.now();
  await sessions.insert({
    tokenHash: hashSession(token),
    tenantId: 'acme',
    email: 'ada@example.com',
    contactId: '003000000000001AAA',
    name: 'Ada Ng',
    createdAt: now.toISOString(),
    lastUsedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
    revokedAt: null,
  });
  return { sessions, token };
}

test('a session in use is read from the store once per hold, not on every call', async () => {
  const clock = new FixedClock();
  const { sessions, token } = await seeded(clock);
  const sut = worker(sessions, clock);
  for (let i = 0; i < 20; i++) assert.equal((await sut.authenticate(token)).email, 'ada@example.com');
  assert.equal(sessions.reads, 1);
  clock.advance(SESSION_CACHE_MS);
  await sut.authenticate(token);
  assert.equal(sessions.reads, 2);
});

test('a session ended on one worker is refused there at once, and on another worker within the hold', async () => {
  const clock = new FixedClock();
  const { sessions, token } = await seeded(clock);
  const first = worker(sessions, clock);
  const second = worker(sessions, clock);
  const session = await first.authenticate(token);
  await second.authenticate(token);

  await first.revoke(session);
  await assert.rejects(first.authenticate(token), { code: 'BOT_SESSION_INVALID' });
  // the other worker still holds what it read: the documented window
  clock.advance(SESSION_CACHE_MS - 1);
  assert.equal((await second.authenticate(token)).email, 'ada@example.com');
  clock.advance(1);
  await assert.rejects(second.authenticate(token), { code: 'BOT_SESSION_INVALID' });
});

test('holding a session never lets it outlive its 12-hour end', async () => {
  const clock = new FixedClock();
  const { sessions, token } = await seeded(clock, 2_000);
  const sut = worker(sessions, clock);
  await sut.authenticate(token);
  clock.advance(2_000);
  await assert.rejects(sut.authenticate(token), { code: 'BOT_SESSION_INVALID' });
});
