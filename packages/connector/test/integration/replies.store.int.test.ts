// "The employee's reply reaches the agent": the reply service against the emulator over HTTP, with the ledger on
// PGlite (and PostgreSQL when configured). Long replies arrive as ordered public comments that join back to the
// text; a dropped connection never doubles a reply; closed cases, status moves and someone else's case behave as
// the tenant's settings say; every Salesforce call is counted against the fewest the reply needs.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import {
  MAX_COMMENT_BYTES,
  parseReplyHeader,
  splitReply,
  utf8Bytes,
} from '../../src/domain/tickets/reply-parts.js';
import { writeReference } from '../../src/domain/write-reference.js';
import type { Tenant, TenantSettings } from '../../src/domain/tenant.js';
import { isAppError } from '../../src/errors/app-error.js';
import { silentLogger } from '../../src/logging/logger.js';
import { JsforceReplyGatewayFactory } from '../../src/salesforce/reply-gateway.js';
import { ReplyService, type ReplyRequest } from '../../src/services/tickets/reply-to-case.js';
import type { Store } from '../../src/store/open-store.js';
import { realClock, salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';
import { makeTenantRecord, storeBackends } from '../helpers/store-test-kit.js';

let em: StartedEmulator;
let stack: SalesforceStack;
let settings: TenantSettings;
const control = <T>(method: string, path: string, body?: unknown) => controlClient(em)<T>(method, path, body);

interface LoggedCall {
  seq: number;
  method: string;
  path: string;
  status: number;
}

/** The Salesforce API calls `fn` made that count against the org's allocation, as the emulator logged them. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; calls: string[] }> {
  const { lastSeq } = await control<{ lastSeq: number }>('GET', '/calls?limit=1');
  const value = await fn();
  const { calls } = await control<{ calls: LoggedCall[] }>('GET', `/calls?counted=true&afterSeq=${lastSeq}`);
  return {
    value,
    calls: calls.map(
      (c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '').split('?')[0] ?? ''}`,
    ),
  };
}

function integrationUser(): string {
  const id = em.demo?.integrationUserId;
  assert.ok(id !== undefined);
  return id;
}

let contactSeq = 0;
function addContact(first: string, last: string): { id: string; name: string; email: string } {
  contactSeq += 1;
  const email = `${first}.${last}.${contactSeq}@example.com`.toLowerCase();
  const id = em.org.data.insert(
    'Contact',
    { FirstName: first, LastName: last, Email: email },
    integrationUser(),
  );
  return { id, name: `${first} ${last}`, email };
}

function addCase(contactId: string | null, status: string, extra: Record<string, unknown> = {}): string {
  return em.org.data.insert(
    'Case',
    { Subject: 'Laptop will not boot', Status: status, ContactId: contactId, Origin: 'Chat', ...extra },
    integrationUser(),
  );
}

function caseStatus(caseId: string): string {
  return String(em.org.data.peek(caseId)?.record['Status']);
}

/** the case's comments, oldest first, as the agent sees them */
async function commentsOn(caseId: string): Promise<{ id: string; body: string; published: boolean }[]> {
  const rows = await stack.client.request<{
    records: { Id: string; CommentBody: string; IsPublished: boolean }[];
  }>(stack.tenant, {
    method: 'GET',
    url: `/query?q=${encodeURIComponent(`SELECT Id, CommentBody, IsPublished FROM CaseComment WHERE ParentId = '${caseId}' ORDER BY CreatedDate ASC, Id ASC`)}`,
  });
  return rows.records.map((r) => ({ id: r.Id, body: r.CommentBody, published: r.IsPublished }));
}

/** the reply text the comments carry, read back through their headers in part order */
function joined(bodies: string[]): string {
  const parts = bodies
    .map((body) => ({ header: parseReplyHeader(body), text: body.slice(body.indexOf('\n') + 1) }))
    .sort((a, b) => (a.header?.index ?? 0) - (b.header?.index ?? 0));
  return parts.map((p) => p.text).join('');
}

/** `sentence` repeated, then padded with ASCII, to exactly `bytes` UTF-8 bytes */
function textOf(sentence: string, bytes: number): string {
  const times = Math.floor(bytes / utf8Bytes(sentence));
  const text = sentence.repeat(times);
  return text + '.'.repeat(bytes - utf8Bytes(text));
}

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-replies-')) });
  stack = salesforceStack(em, { tenantId: 'replies' });
  settings = stack.tenant.settings;
});
after(async () => {
  await em.close();
});
afterEach(async () => {
  await control('DELETE', '/faults');
  em.org.data.configure({ validationRules: [] });
  settings = { ...stack.tenant.settings };
});

for (const backend of storeBackends()) {
  describe(`replies on ${backend.name}`, () => {
    let store: Store;
    let sut: ReplyService;
    let keySeq = 0;
    const key = (): string => `reply:${backend.name}:${++keySeq}`;

    before(async () => {
      store = await backend.open({ clock: realClock });
      await store.tenants.insert(makeTenantRecord('replies'));
      sut = new ReplyService({
        tenants: { show: (): Promise<Tenant> => Promise.resolve({ ...stack.tenant, settings }) },
        gateways: { forTenant: () => stack.gateway },
        replies: new JsforceReplyGatewayFactory(stack.client),
        intents: store.replyIntents,
        clock: realClock,
        log: silentLogger(),
      });
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    const reply = (request: Omit<ReplyRequest, 'tenantId'>) =>
      sut.replyToCase({ tenantId: 'replies', ...request });

    for (const [script, sentence] of [
      ['emoji', 'Still broken 😅 after the update 👩‍💻🔥, tried twice 🙏🏽. '],
      ['CJK', '更新後もノートパソコンが起動しません。電源ボタンを十秒押しました。'],
    ] as const) {
      test(`a 10,000-byte reply in ${script} arrives as ordered public parts that join back to it, in 2 calls`, async () => {
        const mina = addContact('Mina', 'Sato');
        const caseId = addCase(mina.id, 'Working');
        const text = textOf(sentence, 10_000);
        assert.equal(utf8Bytes(text), 10_000);
        const { value: result, calls } = await measured(() =>
          reply({ caseId, employee: mina, text, idempotencyKey: key() }),
        );
        assert.ok(result !== undefined);
        const comments = await commentsOn(caseId);
        assert.equal(comments.length, 3);
        assert.deepEqual(
          result.commentIds,
          comments.map((c) => c.id),
        );
        assert.equal(joined(comments.map((c) => c.body)), text);
        comments.forEach((c, i) => {
          assert.ok(c.published, 'the employee’s reply is public');
          assert.ok(utf8Bytes(c.body) <= MAX_COMMENT_BYTES);
          assert.equal(
            c.body.split('\n', 1)[0],
            `Reply from Mina Sato via casebridge [cb:${result?.reference ?? ''} ${i + 1}/3]`,
          );
          assert.ok(!c.body.includes('\uFFFD'), 'no character was cut');
        });
        // the fewest possible: read the case (ownership, state), then every part in one collections call
        assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'POST /composite/sobjects']);
        assert.equal(caseStatus(caseId), 'Working', 'an open case in progress keeps its status by default');
      });
    }

    test('the ledger records who really wrote it; the same key again is answered from it without a call', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      const idempotencyKey = key();
      const first = await reply({ caseId, employee: mina, text: 'It works now, thanks!', idempotencyKey });
      const { rows } = await store.db.query<Record<string, unknown>>(
        `SELECT kind, case_id, author_id, author_name, author_email, part_count, record_id FROM write_intents
         WHERE tenant_id = 'replies' AND idempotency_key = $1`,
        [idempotencyKey],
      );
      assert.deepEqual(rows[0], {
        kind: 'reply',
        case_id: caseId,
        author_id: mina.id,
        author_name: 'Mina Sato',
        author_email: mina.email,
        part_count: 1,
        record_id: first.commentIds[0],
      });
      const { value: again, calls } = await measured(() =>
        reply({ caseId, employee: mina, text: 'It works now, thanks!', idempotencyKey }),
      );
      assert.deepEqual(calls, []);
      assert.deepEqual(again, { ...first, replayed: true });
      assert.equal((await commentsOn(caseId)).length, 1);
      await assert.rejects(
        reply({ caseId, employee: mina, text: 'Something else entirely', idempotencyKey }),
        (err) => isAppError(err, 'REPLY_KEY_REUSED'),
      );
    });

    test('two identical replies with different keys are two replies', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      await reply({ caseId, employee: mina, text: 'Any news?', idempotencyKey: key() });
      await reply({ caseId, employee: mina, text: 'Any news?', idempotencyKey: key() });
      const comments = await commentsOn(caseId);
      assert.equal(comments.length, 2);
      assert.notEqual(
        parseReplyHeader(comments[0]?.body ?? '')?.reference,
        parseReplyHeader(comments[1]?.body ?? '')?.reference,
      );
    });

    test('a connection dropped after Salesforce saved the parts: the reply is posted once, in the same call', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      const text = textOf('Still broken 😅 after the update 👩‍💻🔥, tried twice 🙏🏽. ', 10_000);
      await control('POST', '/faults', {
        kind: 'drop-after',
        method: 'POST',
        path: '*/composite/sobjects',
        count: 1,
      });
      const { value: result, calls } = await measured(() =>
        reply({ caseId, employee: mina, text, idempotencyKey: key() }),
      );
      assert.ok(result !== undefined);
      const comments = await commentsOn(caseId);
      assert.equal(comments.length, 3, 'posted once');
      assert.equal(joined(comments.map((c) => c.body)), text);
      assert.deepEqual(
        result.commentIds,
        comments.map((c) => c.id),
      );
      // the dropped post, then one reconciling read of what is on the case: nothing posted again
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'POST /composite/sobjects', 'GET /query']);
    });

    test('a reply whose attempt failed after the write is completed by a retry with the same key, posted once', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      const text = textOf('更新後もノートパソコンが起動しません。電源ボタンを十秒押しました。', 10_000);
      const idempotencyKey = key();
      // the write lands, the answer is lost, and the lookup that would reconcile it fails too: the call fails
      await control('POST', '/faults', {
        kind: 'drop-after',
        method: 'POST',
        path: '*/composite/sobjects',
        count: 1,
      });
      await control('POST', '/faults', {
        kind: 'server-unavailable',
        method: 'GET',
        path: '*/query*',
        count: 20,
      });
      await assert.rejects(reply({ caseId, employee: mina, text, idempotencyKey }));
      await control('DELETE', '/faults');
      assert.equal((await commentsOn(caseId)).length, 3, 'Salesforce has the reply');
      const { value: result, calls } = await measured(() =>
        reply({ caseId, employee: mina, text, idempotencyKey }),
      );
      assert.ok(result !== undefined);
      assert.equal(result.postedNow, 0);
      const comments = await commentsOn(caseId);
      assert.equal(comments.length, 3, 'the retry posted nothing twice');
      assert.deepEqual(
        result.commentIds,
        comments.map((c) => c.id),
      );
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'GET /query']);
    });

    test('parts an earlier attempt left out are posted by the retry; the ones already there are not posted again', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      const sentence = 'The screen flickers when docked, see https://help.example.com/docking?model=x1. ';
      const text = sentence.repeat(100);
      const idempotencyKey = key();
      // the first attempt never reaches Salesforce: the ledger has the key, the case has nothing
      await control('POST', '/faults', {
        kind: 'drop-before',
        method: 'POST',
        path: '*/composite/sobjects',
        count: 50,
      });
      await assert.rejects(reply({ caseId, employee: mina, text, idempotencyKey }), (err) =>
        isAppError(err, 'SF_API_UNAVAILABLE'),
      );
      await control('DELETE', '/faults');
      assert.equal((await commentsOn(caseId)).length, 0);
      // what a worker that died mid-way leaves: parts 1 and 3 on the case, part 2 missing
      const parts = splitReply({
        text,
        authorName: mina.name,
        reference: writeReference(idempotencyKey).slice(4, -1),
      });
      assert.equal(parts.length, 3);
      const rg = new JsforceReplyGatewayFactory(stack.client).forTenant(stack.tenant);
      await rg.postReply({
        caseId,
        bodies: [parts[0]?.body ?? '', parts[2]?.body ?? ''],
        status: null,
        reference: parts[0]?.header.match(/\[cb:(\w+)/)?.[1] ?? '',
        startedAt: new Date(),
      });
      const { value: result, calls } = await measured(() =>
        reply({ caseId, employee: mina, text, idempotencyKey }),
      );
      assert.ok(result !== undefined);
      assert.equal(result.postedNow, 1);
      const comments = await commentsOn(caseId);
      assert.equal(comments.length, 3, 'part 2 posted, 1 and 3 not again');
      assert.equal(joined(comments.map((c) => c.body)), text);
      assert.deepEqual([...result.commentIds].sort(), comments.map((c) => c.id).sort());
      const url = 'https://help.example.com/docking?model=x1.';
      const whole = comments.reduce((n, c) => n + c.body.split(url).length - 1, 0);
      assert.equal(whole, 100, 'no URL was split between parts');
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'GET /query', 'POST /composite/sobjects']);
    });

    test('a case waiting on its employee moves to the "employee replied" status in the same call', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Waiting on Employee');
      const { value: result, calls } = await measured(() =>
        reply({
          caseId,
          employee: mina,
          text: 'Here is the log you asked for.',
          idempotencyKey: key(),
        }),
      );
      assert.equal(caseStatus(caseId), 'Working');
      // the case as the change left it, read back in the same call: change detection knows the write as ours
      const after = em.org.data.peek(caseId)?.record;
      assert.deepEqual(result.status, {
        from: 'Waiting on Employee',
        to: 'Working',
        why: 'employee-replied',
        moved: true,
        caseAfter: {
          status: 'Working',
          ownerId: after?.['OwnerId'],
          modstamp: new Date(
            String(after?.['SystemModstamp']).replace(/(\d{2})(\d{2})$/, '$1:$2'),
          ).toISOString(),
        },
      });
      assert.equal((await commentsOn(caseId)).length, 1);
      // one composite holding the collection and the status change: no second call for the status
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'POST /composite']);
    });

    test('a dropped connection on the combined call still posts once and moves the status', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Waiting on Employee');
      await control('POST', '/faults', { kind: 'drop-after', method: 'POST', path: '*/composite', count: 1 });
      const { value: result, calls } = await measured(() =>
        reply({ caseId, employee: mina, text: 'Here is the log.', idempotencyKey: key() }),
      );
      assert.equal((await commentsOn(caseId)).length, 1);
      assert.equal(caseStatus(caseId), 'Working');
      assert.equal(result.status?.moved, true);
      // the reconciling read finds the part; the status written after the parts is written again (idempotent)
      assert.deepEqual(calls, [
        `GET /sobjects/Case/${caseId}`,
        'POST /composite',
        'GET /query',
        `PATCH /sobjects/Case/${caseId}`,
      ]);
    });

    test('with moveStatusOnReply=never the status is left to the agents', async () => {
      settings = { ...settings, replies: { moveStatusOnReply: 'never' } };
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Waiting on Employee');
      const result = await reply({ caseId, employee: mina, text: 'Here it is.', idempotencyKey: key() });
      assert.equal(result.status, null);
      assert.equal(caseStatus(caseId), 'Waiting on Employee');
    });

    test('a closed case refuses the reply with a coded answer, posting nothing', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Closed');
      const { calls } = await measured(async () => {
        await assert.rejects(
          reply({ caseId, employee: mina, text: 'It broke again.', idempotencyKey: key() }),
          (err) => {
            assert.ok(isAppError(err, 'REPLY_CASE_CLOSED'));
            assert.match(err.message, /is closed \(status "Closed"\)/);
            assert.match(err.fix, /replies\.reopenClosed=true/);
            return true;
          },
        );
      });
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`]);
      assert.equal((await commentsOn(caseId)).length, 0);
      assert.equal(caseStatus(caseId), 'Closed');
    });

    test('with reopenClosed the closed case is reopened, then the reply posted, in one call', async () => {
      settings = { ...settings, replies: { reopenClosed: true } };
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Closed');
      const { value: result, calls } = await measured(() =>
        reply({ caseId, employee: mina, text: 'It broke again.', idempotencyKey: key() }),
      );
      assert.equal(caseStatus(caseId), 'Working');
      assert.equal(em.org.data.peek(caseId)?.record['IsClosed'], false);
      assert.deepEqual(
        { ...result.status, caseAfter: result.status?.caseAfter?.status },
        { from: 'Closed', to: 'Working', why: 'reopen', moved: true, caseAfter: 'Working' },
      );
      assert.equal((await commentsOn(caseId)).length, 1);
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'POST /composite']);
    });

    test("a reply on someone else's case is refused and nothing is posted", async () => {
      const mina = addContact('Mina', 'Sato');
      const theo = addContact('Theo', 'Brandt');
      const caseId = addCase(theo.id, 'Working');
      await assert.rejects(reply({ caseId, employee: mina, text: 'Hello?', idempotencyKey: key() }), (err) =>
        isAppError(err, 'REPLY_NOT_YOUR_CASE'),
      );
      assert.equal((await commentsOn(caseId)).length, 0);
    });

    test('a case filed by email with no Contact belongs to the one Contact with that email', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(null, 'Working', { SuppliedEmail: mina.email.toUpperCase() });
      const { calls } = await measured(() =>
        reply({ caseId, employee: mina, text: 'Any update?', idempotencyKey: key() }),
      );
      assert.equal((await commentsOn(caseId)).length, 1);
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'GET /query', 'POST /composite/sobjects']);
    });

    /** a validation rule that refuses the "employee replied" / reopen status, as an org's own rule might */
    const refuseWorking = () =>
      em.org.data.configure({
        validationRules: [
          {
            sobject: 'Case',
            name: 'NoWorkingWithoutOwnerNote',
            active: true,
            errorCondition: "Status = 'Working'",
            errorMessage: 'Say why before moving a case to Working.',
          },
        ],
      });

    test('a status change Salesforce refuses leaves the reply posted and says why', async () => {
      refuseWorking();
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Waiting on Employee');
      const result = await reply({ caseId, employee: mina, text: 'Logs attached.', idempotencyKey: key() });
      assert.equal((await commentsOn(caseId)).length, 1);
      assert.equal(caseStatus(caseId), 'Waiting on Employee');
      assert.equal(result.status?.moved, false);
      assert.equal(result.status.error?.code, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    });

    test('a reopen Salesforce refuses posts nothing: the reply never lands on a closed case', async () => {
      refuseWorking();
      settings = { ...settings, replies: { reopenClosed: true } };
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Closed');
      await assert.rejects(
        reply({ caseId, employee: mina, text: 'It broke again.', idempotencyKey: key() }),
        (err) => isAppError(err, 'SF_API_VALIDATION_FAILED'),
      );
      assert.equal((await commentsOn(caseId)).length, 0);
      assert.equal(caseStatus(caseId), 'Closed');
    });

    test('a reply of more than 200 parts goes in one composite call, its collections in order', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      const text = textOf('Step by step, what I tried this morning with the docking station. ', 880_000);
      const { value: result, calls } = await measured(() =>
        reply({ caseId, employee: mina, text, idempotencyKey: key() }),
      );
      assert.ok(result.parts > 200 && result.parts <= 400, `${result.parts} parts`);
      const comments = await commentsOn(caseId);
      assert.equal(comments.length, result.parts);
      assert.deepEqual(
        result.commentIds,
        comments.map((c) => c.id),
      );
      assert.equal(joined(comments.map((c) => c.body)), text);
      assert.deepEqual(calls, [`GET /sobjects/Case/${caseId}`, 'POST /composite']);
    });

    test('a reply longer than 1,000 parts could hold is refused before any call', async () => {
      const mina = addContact('Mina', 'Sato');
      const caseId = addCase(mina.id, 'Working');
      const { calls } = await measured(() =>
        assert.rejects(
          reply({ caseId, employee: mina, text: 'x'.repeat(4_000_001), idempotencyKey: key() }),
          (err) => isAppError(err, 'REPLY_TOO_LONG'),
        ),
      );
      assert.deepEqual(calls, []);
    });
  });
}
