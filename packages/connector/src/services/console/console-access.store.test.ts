// The console's one-time links and sessions on the shared store (PGlite, and PostgreSQL when configured): a link
// works once and only within 5 minutes, on whichever worker redeems it; a session ends after 30 idle minutes or
// 12 hours; its form token is its own; signing out on one worker ends it on every worker; only digests are stored.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Store } from '../../store/open-store.js';
import { storeBackends, TestClock } from '../../../test/helpers/store-test-kit.js';
import { ConsoleAccess, LINK_TTL_MS, SESSION_IDLE_MS, SESSION_MAX_MS } from './console-access.js';

for (const backend of storeBackends()) {
  describe(`console access on ${backend.name}`, () => {
    const clock = new TestClock('2026-12-02T04:00:00.000Z');
    let store: Store;
    /** a second worker's store: its own pool on PostgreSQL; on PGlite the one process that holds the store */
    let other: Store;
    let n = 0;
    const worker = (s: Store): ConsoleAccess =>
      new ConsoleAccess({
        clock,
        randomToken: () => `token-${++n}-${backend.name}`,
        sessions: s.consoleSessions,
      });
    let a: ConsoleAccess;
    let b: ConsoleAccess;

    before(async () => {
      store = await backend.open({ clock });
      other = backend.name === 'postgres' ? await backend.open({ clock }) : store;
      a = worker(store);
      b = worker(other);
    });
    after(async () => {
      if (other !== store) await other.close();
      await store.close();
      await backend.dispose();
    });

    test('a link minted on one worker is redeemed on another once; its session works on both', async () => {
      const { token, expiresAt } = await a.mintLink();
      assert.equal(expiresAt, '2026-12-02T04:05:00.000Z');
      const first = await b.redeem(token);
      assert.ok(first !== null);
      assert.equal(await a.redeem(token), null);
      assert.equal(await b.redeem(token), null);
      assert.equal((await a.session(first.sessionToken))?.actor, first.session.actor);
      assert.equal((await b.session(first.sessionToken))?.csrf, first.session.csrf);
    });

    test('two workers redeeming one link at once: exactly one gets a session', async () => {
      const { token } = await a.mintLink();
      const both = await Promise.all([a.redeem(token), b.redeem(token)]);
      assert.equal(both.filter((r) => r !== null).length, 1);
    });

    test('a link past its 5 minutes is refused, one just before is accepted', async () => {
      const late = (await a.mintLink()).token;
      const inTime = (await a.mintLink()).token;
      clock.advance(LINK_TTL_MS - 1);
      assert.ok((await b.redeem(inTime)) !== null);
      clock.advance(1);
      assert.equal(await b.redeem(late), null);
    });

    test('an unknown link or cookie is no session', async () => {
      assert.equal(await a.redeem('made-up'), null);
      assert.equal(await a.session('made-up'), null);
      assert.equal(await a.session(undefined), null);
      assert.equal(await a.session(''), null);
    });

    test('a session ends after 30 idle minutes, and after 12 hours however busy (used on either worker)', async () => {
      const idle = await a.redeem((await a.mintLink()).token);
      const busy = await a.redeem((await a.mintLink()).token);
      assert.ok(idle !== null && busy !== null);
      let turn = 0;
      for (let elapsed = 0; elapsed < SESSION_MAX_MS - SESSION_IDLE_MS; elapsed += SESSION_IDLE_MS / 2) {
        clock.advance(SESSION_IDLE_MS / 2);
        const on = turn++ % 2 === 0 ? a : b;
        assert.ok((await on.session(busy.sessionToken)) !== null, `busy session alive at ${elapsed}`);
      }
      assert.equal(await b.session(idle.sessionToken), null);
      // 11.5 hours in: two more quarter hours reach 12 hours exactly, one millisecond more ends it (not idle)
      clock.advance(SESSION_IDLE_MS / 2);
      assert.ok((await b.session(busy.sessionToken)) !== null);
      clock.advance(SESSION_IDLE_MS / 2);
      assert.ok((await a.session(busy.sessionToken)) !== null);
      clock.advance(1);
      assert.equal(await b.session(busy.sessionToken), null);
    });

    test('idle exactly 30 minutes is still a session; a millisecond more is not', async () => {
      const s = await a.redeem((await a.mintLink()).token);
      assert.ok(s !== null);
      clock.advance(SESSION_IDLE_MS);
      assert.ok((await b.session(s.sessionToken)) !== null);
      clock.advance(SESSION_IDLE_MS + 1);
      assert.equal(await a.session(s.sessionToken), null);
    });

    test("the form token is the session's own; signing out on one worker ends the session on the other", async () => {
      const x = await a.redeem((await a.mintLink()).token);
      const y = await a.redeem((await a.mintLink()).token);
      assert.ok(x !== null && y !== null);
      assert.ok(ConsoleAccess.sameCsrf(x.session, x.session.csrf));
      assert.equal(ConsoleAccess.sameCsrf(x.session, y.session.csrf), false);
      assert.equal(ConsoleAccess.sameCsrf(x.session, undefined), false);
      await a.end(x.sessionToken);
      assert.equal(await b.session(x.sessionToken), null);
      assert.ok((await b.session(y.sessionToken)) !== null);
    });

    test('the store holds digests only: no link or session token, no form token', async () => {
      const link = await a.mintLink();
      const redeemed = await b.redeem(link.token);
      assert.ok(redeemed !== null);
      await a.mintLink();
      const dump = JSON.stringify([
        (await store.db.query('SELECT * FROM console_links')).rows,
        (await store.db.query('SELECT * FROM console_sessions')).rows,
      ]);
      for (const secret of [link.token, redeemed.sessionToken, redeemed.session.csrf])
        assert.equal(dump.includes(secret), false, 'a token in the store');
    });

    test('the purge removes what can no longer be used and keeps live sessions', async () => {
      const live = await a.redeem((await a.mintLink()).token);
      const out = await a.redeem((await a.mintLink()).token);
      assert.ok(live !== null && out !== null);
      await a.end(out.sessionToken);
      await a.mintLink();
      clock.advance(LINK_TTL_MS);
      const removed = await store.consoleSessions.purge(
        clock.now(),
        new Date(clock.now().getTime() - SESSION_IDLE_MS),
      );
      assert.ok(removed >= 2, `removed ${removed}`);
      assert.equal(
        Number((await store.db.query<{ n: string }>('SELECT count(*) AS n FROM console_links')).rows[0]?.n),
        0,
      );
      assert.ok((await b.session(live.sessionToken)) !== null);
    });
  });
}
