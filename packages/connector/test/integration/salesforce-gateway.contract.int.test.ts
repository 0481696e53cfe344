// One contract for the SalesforceGateway port, run against FakeSalesforceGateway (what the service tests use) and
// against the real gateway talking to the emulator over HTTP, so the fake never promises less than Salesforce
// gives: writes carry their key's reference and are found by it (never by their text), per-record outcomes of a
// batch, keyset reads strictly after a cursor in (modstamp, id) order, coded errors for missing records.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { IncrementalRead, SalesforceGateway, SyncPage } from '../../src/domain/ports.js';
import type { SupportCase } from '../../src/domain/support.js';
import { compareCursors, positionOf } from '../../src/domain/sync-cursor.js';
import { referenceInHeader, writeReference } from '../../src/domain/write-reference.js';
import { isAppError } from '../../src/errors/app-error.js';
import { FakeSalesforceGateway } from '../fakes/fake-salesforce-gateway.js';
import { realClock, salesforceStack } from '../helpers/salesforce-stack.js';

interface GatewaySubject {
  gateway: SalesforceGateway;
  /** the service user the gateway logs in as */
  username: string;
  /** a Contact with this email, made outside the gateway (an admin's record) */
  addContact(email: string, lastName: string): void;
}

const subjects: { name: string; open(): Promise<GatewaySubject> }[] = [
  {
    name: 'fake gateway',
    open() {
      const fake = new FakeSalesforceGateway({ clock: realClock });
      for (let i = 0; i < 6; i += 1) fake.addArticle({ title: `Article ${i}` });
      fake.addArticle({ title: 'Draft', status: 'draft' });
      fake.addArticle({ title: 'Artikel', language: 'de' });
      return Promise.resolve({
        gateway: fake,
        username: fake.identityOf.username,
        addContact: (email, lastName) =>
          void fake.addEmployee({ email, firstName: null, lastName, department: null }),
      });
    },
  },
  {
    name: 'real gateway on the emulator',
    async open() {
      em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-gateway-contract-')) });
      const started = em;
      return {
        gateway: salesforceStack(started, { tenantId: 'contract' }).gateway,
        username: started.username,
        addContact: (email, lastName) =>
          void started.org.data.insert(
            'Contact',
            { LastName: lastName, Email: email },
            started.demo?.integrationUserId ?? '',
          ),
      };
    },
  },
];
let em: StartedEmulator | undefined;
after(async () => {
  await em?.close();
});

const EPOCH = { modstamp: '1970-01-01T00:00:00.000Z', id: '' };
const minutesAgo = (n: number): Date => new Date(Date.now() - n * 60_000);

async function readAll<T extends { id: string; modstamp: string }>(
  pages: AsyncIterable<SyncPage<T>>,
): Promise<T[]> {
  const rows: T[] = [];
  for await (const page of pages) {
    rows.push(...page.items);
    const last = page.items.at(-1);
    if (last !== undefined)
      assert.deepEqual(page.cursor, positionOf(last), "a page's cursor is its last row");
  }
  return rows;
}

function assertKeysetAfter(
  rows: readonly { id: string; modstamp: string }[],
  after: IncrementalRead['after'],
) {
  for (const row of rows)
    assert.ok(compareCursors(positionOf(row), after) > 0, `${row.id} is after the cursor`);
  for (let i = 1; i < rows.length; i += 1)
    assert.ok(compareCursors(positionOf(rows[i - 1]!), positionOf(rows[i]!)) < 0, 'in (modstamp, id) order');
}

for (const subject of subjects) {
  describe(`SalesforceGateway contract: ${subject.name}`, () => {
    let s: GatewaySubject;
    before(async () => {
      s = await subject.open();
    });
    const newCase = (key: string, subjectLine = 'VPN drops every hour') => ({
      subject: subjectLine,
      description: 'Since Monday',
      status: 'New',
      employeeId: null,
      origin: 'Web',
      idempotencyKey: key,
    });

    test('identity, versions, limits and the Case describe answer in our words', async () => {
      const id = await s.gateway.identity();
      assert.equal(id.username, s.username);
      assert.match(id.orgId, /^00D/);
      assert.match(id.userId, /^005/);
      const versions = await s.gateway.versions();
      assert.ok(versions.includes('62.0'));
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => Number(a) - Number(b)),
        'ascending',
      );
      const limits = await s.gateway.limits();
      // /limits needs View Setup, which a service user may lack: then the usage header of the calls before it
      assert.ok(limits.source === 'limits' || limits.source === 'header', limits.source);
      assert.ok(limits.max !== null && limits.remaining !== null && limits.max >= limits.remaining);
      const caseObject = await s.gateway.describe('Case');
      assert.equal(caseObject.name, 'Case');
      const status = caseObject.fields.find((f) => f.name === 'Status');
      assert.ok(status?.picklistValues.includes('New') && status.picklistValues.includes('Closed'));
      assert.ok(caseObject.fields.some((f) => f.name === 'Subject'));
      await assert.rejects(s.gateway.describe('NoSuchObject__c'), (err) =>
        isAppError(err, 'SF_API_SCHEMA_MISMATCH'),
      );
    });

    test('employees are found by email: every Contact with it, none for an unknown one', async () => {
      s.addContact('twins@contract.example', 'First');
      s.addContact('twins@contract.example', 'Second');
      s.addContact('solo@contract.example', 'Solo');
      const twins = await s.gateway.findEmployeesByEmail('twins@contract.example');
      assert.deepEqual(twins.map((e) => e.lastName).sort(), ['First', 'Second']);
      assert.ok(twins.every((e) => /^003/.test(e.id) && e.email === 'twins@contract.example'));
      assert.deepEqual(await s.gateway.findEmployeesByEmail('nobody@contract.example'), []);
    });

    test('a created case reads back, carries its reference and is found by its key, not by another', async () => {
      const made = await s.gateway.createCase(newCase('contract:case-1'));
      assert.match(made.id, /^500/);
      assert.deepEqual(
        [made.subject, made.status, made.isClosed, made.origin, made.employeeId],
        ['VPN drops every hour', 'New', false, 'Web', null],
      );
      assert.ok(made.description?.startsWith('Since Monday'));
      assert.ok(made.description?.endsWith(writeReference('contract:case-1')));
      assert.deepEqual(await s.gateway.getCase(made.id), made);
      assert.equal(
        (await s.gateway.findCaseByKey({ idempotencyKey: 'contract:case-1' }, minutesAgo(10)))?.id,
        made.id,
      );
      assert.equal(
        await s.gateway.findCaseByKey({ idempotencyKey: 'contract:case-2' }, minutesAgo(10)),
        null,
      );
      const identical = await s.gateway.createCase(newCase('contract:case-2'));
      assert.notEqual(identical.id, made.id, 'the same text on purpose under another key is another case');
      assert.equal(
        (await s.gateway.findCaseByKey({ idempotencyKey: 'contract:case-2' }, minutesAgo(10)))?.id,
        identical.id,
      );
    });

    test("a comment carries its key's reference in its header line; identical text under another key is another", async () => {
      const parent = await s.gateway.createCase(newCase('contract:comment-parent'));
      const body = 'Reply from the assistant\nPlease restart the VPN client.';
      const first = await s.gateway.addCaseComment({
        caseId: parent.id,
        body,
        isPublic: true,
        idempotencyKey: 'c:1',
      });
      assert.equal(referenceInHeader(first.body), writeReference('c:1'));
      assert.ok(first.body.endsWith('\nPlease restart the VPN client.'));
      assert.deepEqual([first.caseId, first.isPublic], [parent.id, true]);
      assert.equal(await s.gateway.findCommentByKey(parent.id, 'c:2', minutesAgo(10)), null);
      const second = await s.gateway.addCaseComment({
        caseId: parent.id,
        body,
        isPublic: false,
        idempotencyKey: 'c:2',
      });
      assert.notEqual(second.id, first.id);
      assert.equal((await s.gateway.findCommentByKey(parent.id, 'c:1', minutesAgo(10)))?.id, first.id);
      assert.equal((await s.gateway.findCommentByKey(parent.id, 'c:2', minutesAgo(10)))?.id, second.id);
      assert.equal(second.isPublic, false);
    });

    test('a batch of comments answers per record, in input order: one bad record fails alone', async () => {
      const parent = await s.gateway.createCase(newCase('contract:batch-parent'));
      const outcomes = await s.gateway.addCaseComments([
        { caseId: parent.id, body: 'one', isPublic: true, idempotencyKey: 'b:1' },
        { caseId: '500000000000000AAA', body: 'nowhere', isPublic: true, idempotencyKey: 'b:2' },
        { caseId: parent.id, body: 'three', isPublic: false, idempotencyKey: 'b:3' },
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.ok),
        [true, false, true],
      );
      const bad = outcomes[1];
      assert.ok(bad !== undefined && !bad.ok);
      assert.deepEqual([bad.code, bad.fields], ['INVALID_CROSS_REFERENCE_KEY', ['ParentId']], 'no such case');
      const found = await s.gateway.findCommentByKey(parent.id, 'b:3', minutesAgo(10));
      assert.equal(found?.id, outcomes[2]?.ok === true ? outcomes[2].id : undefined);
    });

    test('a status change reads back (Closed closes the case) and moves the modstamp; a missing case is coded', async () => {
      const made = await s.gateway.createCase(newCase('contract:status'));
      await s.gateway.updateCaseStatus(made.id, 'Closed');
      const closed = await s.gateway.getCase(made.id);
      assert.deepEqual([closed.status, closed.isClosed], ['Closed', true]);
      assert.ok(Date.parse(closed.modstamp) >= Date.parse(made.modstamp));
      const nowhere = '500000000000000AAA';
      await assert.rejects(s.gateway.updateCaseStatus(nowhere, 'Closed'), (err) =>
        isAppError(err, 'SF_API_NOT_FOUND'),
      );
      await assert.rejects(
        s.gateway.addCaseComment({ caseId: nowhere, body: 'x', isPublic: true, idempotencyKey: 'm:1' }),
        (err) => isAppError(err, 'SF_API_VALIDATION_FAILED'),
        'a comment on a case that does not exist is refused by the save',
      );
      await assert.rejects(s.gateway.getCase(nowhere), (err) => isAppError(err, 'SF_API_NOT_FOUND'));
    });

    test('cases and comments are read strictly after a cursor, in (modstamp, id) order, each row once', async () => {
      const made: SupportCase[] = [];
      for (const key of ['read:1', 'read:2', 'read:3']) made.push(await s.gateway.createCase(newCase(key)));
      const ours = new Set(made.map((c) => c.id));
      const after = positionOf(made[0]!);
      const cases = await readAll(s.gateway.casesModifiedSince({ after }));
      assertKeysetAfter(cases, after);
      assert.deepEqual(
        cases.filter((c) => ours.has(c.id)).map((c) => c.id),
        made.slice(1).map((c) => c.id),
      );
      const fromInstant = await readAll(
        s.gateway.casesModifiedSince({ after: { modstamp: after.modstamp, id: '' } }),
      );
      assert.ok(
        fromInstant.some((c) => c.id === made[0]!.id),
        "a read from an instant includes that instant's rows",
      );

      const c1 = await s.gateway.addCaseComment({
        caseId: made[0]!.id,
        body: 'a',
        isPublic: true,
        idempotencyKey: 'rc:1',
      });
      const c2 = await s.gateway.addCaseComment({
        caseId: made[1]!.id,
        body: 'b',
        isPublic: true,
        idempotencyKey: 'rc:2',
      });
      const comments = await readAll(s.gateway.commentsModifiedSince({ after: positionOf(c1) }));
      assertKeysetAfter(comments, positionOf(c1));
      assert.ok(comments.some((c) => c.id === c2.id));
      assert.ok(!comments.some((c) => c.id === c1.id), 'the cursor row itself is not read again');
    });

    test("articles: only published ones of the tenant's language, read after a cursor like the other streams", async () => {
      const all = await readAll(s.gateway.articlesModifiedSince({ after: EPOCH }));
      assert.ok(all.length >= 4, `articles: ${all.length}`);
      assert.ok(all.every((a) => a.status === 'online' && a.language === 'en_US'));
      assertKeysetAfter(all, EPOCH);
      const middle = all[Math.floor(all.length / 2)]!;
      const rest = await readAll(
        s.gateway.articlesModifiedSince({ after: positionOf(middle), pageSize: 200 }),
      );
      assert.deepEqual(
        rest.map((a) => a.id),
        all.slice(all.indexOf(middle) + 1).map((a) => a.id),
      );
    });
  });
}
