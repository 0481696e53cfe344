// `casebridge cases reply` as an operator runs it: a child process on a real data directory against the emulator,
// the case by number, the employee by email, the reply from a file, --json, a retry with --key, and the coded
// answers for a closed case (then reopened once the tenant allows it) and an unknown employee.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { utf8Bytes } from '../../src/domain/tickets/reply-parts.js';
import type { ReplyResult } from '../../src/services/tickets/reply-to-case.js';
import { cliEnv, parseJson, runCasebridge, tenantAddArgs } from '../helpers/cli-process.js';

let tmp: string;
let em: StartedEmulator;
let env: NodeJS.ProcessEnv;
let owner: string;

type Shown = ReplyResult & { idempotencyKey: string };
interface ShownError {
  error: { code: string; message: string; fix: string };
}

function insert(sobject: string, fields: Record<string, unknown>): string {
  return em.org.data.insert(sobject, fields, owner);
}

function caseNumber(id: string): string {
  return String(em.org.data.peek(id)?.record['CaseNumber']);
}

/** the case's comments as the service user reads them, oldest first (in process: no API call counted) */
function commentBodies(caseId: string): string[] {
  const page = em.org.data.query(
    { userId: owner, apiVersion: '62.0' },
    `SELECT CommentBody FROM CaseComment WHERE ParentId = '${caseId}' ORDER BY CreatedDate ASC, Id ASC`,
  );
  return page.records.map((r) => String(r['CommentBody']));
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-cases-cli-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  owner = em.demo?.integrationUserId ?? '';
  env = cliEnv(join(tmp, 'data'));
  const added = await runCasebridge(
    tenantAddArgs(em, 'acme', { consumerKey: em.consumerKey, certOut: join(tmp, 'certs') }),
    env,
  );
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('a reply from a file reaches the case by its number; the same --key again posts nothing', async () => {
  const contactId = insert('Contact', {
    FirstName: 'Mina',
    LastName: 'Sato',
    Email: 'mina.sato@example.com',
  });
  const caseId = insert('Case', {
    Subject: 'VPN drops',
    Status: 'Waiting on Employee',
    ContactId: contactId,
  });
  const text = 'Still broken 😅 after the update 👩‍💻🔥 '.repeat(196);
  assert.equal(utf8Bytes(text), 9_996);
  const file = join(tmp, 'reply.txt');
  writeFileSync(file, text);
  const args = [
    'cases',
    'reply',
    'acme',
    caseNumber(caseId),
    '--as',
    'Mina.Sato@example.com',
    '--file',
    file,
  ];

  const posted = await runCasebridge(['--json', ...args, '--key', 'ops-1'], env);
  assert.equal(posted.code, 0, posted.stdout + posted.stderr);
  const result = parseJson<Shown>(posted.stdout);
  assert.equal(result.caseId, caseId);
  assert.equal(result.parts, 3);
  assert.equal(result.replayed, false);
  assert.equal(result.idempotencyKey, 'ops-1');
  const { caseAfter, ...status } = result.status ?? {};
  assert.deepEqual(status, {
    from: 'Waiting on Employee',
    to: 'Working',
    why: 'employee-replied',
    moved: true,
  });
  assert.equal(caseAfter?.status, 'Working');
  assert.equal(commentBodies(caseId).length, 3);
  assert.match(commentBodies(caseId)[0] ?? '', /^Reply from Mina Sato via casebridge \[cb:\w+ 1\/3\]\n/);

  const again = await runCasebridge([...args, '--key', 'ops-1'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /was already posted \(3 parts, reference \w+\); nothing posted again\./);
  assert.equal(commentBodies(caseId).length, 3);
});

void test('a closed case answers REPLY_CASE_CLOSED until the tenant lets replies reopen it', async () => {
  const contactId = insert('Contact', { FirstName: 'Theo', LastName: 'Brandt', Email: 'theo@example.com' });
  const caseId = insert('Case', { Subject: 'Printer', Status: 'Closed', ContactId: contactId });
  const args = ['cases', 'reply', 'acme', caseId, '--as', 'theo@example.com', '--text', 'It jams again.'];

  const refused = await runCasebridge(['--json', ...args], env);
  assert.equal(refused.code, 1);
  const error = parseJson<ShownError>(refused.stdout).error;
  assert.equal(error.code, 'REPLY_CASE_CLOSED');
  assert.match(error.fix, /casebridge tenants update acme --set replies\.reopenClosed=true/);
  assert.deepEqual(commentBodies(caseId), []);

  const updated = await runCasebridge(
    ['tenants', 'update', 'acme', '--set', 'replies.reopenClosed=true'],
    env,
  );
  assert.equal(updated.code, 0, updated.stderr);
  const reopened = await runCasebridge(args, env);
  assert.equal(reopened.code, 0, reopened.stderr);
  assert.match(reopened.stdout, /Reply posted to case \d+ as 1 part/);
  assert.match(reopened.stdout, /Status Closed -> Working \(reopen\)\./);
  assert.equal(em.org.data.peek(caseId)?.record['Status'], 'Working');
  assert.equal(commentBodies(caseId).length, 1);
});

void test('an email no Contact has is REPLY_EMPLOYEE_NOT_FOUND (exit 6); neither --text nor --file is a usage error', async () => {
  const caseId = insert('Case', { Subject: 'Badge', Status: 'New' });
  const unknown = await runCasebridge(
    ['--json', 'cases', 'reply', 'acme', caseId, '--as', 'nobody@example.com', '--text', 'Hi'],
    env,
  );
  assert.equal(unknown.code, 6);
  assert.equal(parseJson<ShownError>(unknown.stdout).error.code, 'REPLY_EMPLOYEE_NOT_FOUND');
  const usage = await runCasebridge(['cases', 'reply', 'acme', caseId, '--as', 'x@example.com'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /error CLI_USAGE: .*either --text or --file/);
});
