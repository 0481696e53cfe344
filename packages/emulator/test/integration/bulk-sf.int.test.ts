// The official Salesforce CLI (`sf` 2.146.3, unmodified, offline) runs its Bulk API 2.0 commands against the
// emulator: data query --bulk, data export bulk, data import bulk, data upsert bulk and data delete bulk.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { control, startDemoEmulator, type EmulatorFixture } from '../helpers/emulator-fixture.js';
import { readBlocked } from '../helpers/network-guard.js';
import { SfCli, type SfJson, type SfResult } from '../helpers/sf-cli.js';

const ALIAS = 'emu-bulk';
const PREFIX = `sf bulk ${process.pid}`;

void describe('sf bulk commands against the emulator', () => {
  let fx: EmulatorFixture;
  let sf: SfCli;
  let blockedLog = '';
  let userId = '';

  const succeeded = ({ code, json, stderr }: SfResult): SfJson => {
    assert.equal(code, 0, `${JSON.stringify(json)}\n${stderr}`);
    return json;
  };
  const caseIds = (subjectLike: string): string[] =>
    fx.em.org.data
      .query(
        { userId, apiVersion: '64.0' },
        `SELECT Id FROM Case WHERE Subject LIKE '${subjectLike}' ORDER BY Subject`,
      )
      .records.map((r) => String(r['Id']));

  before(async () => {
    fx = await startDemoEmulator();
    blockedLog = join(fx.dir, 'blocked-connections.jsonl');
    sf = SfCli.inDir(fx.dir, blockedLog);
    assert.ok(fx.em.demo);
    userId = fx.em.demo.integrationUserId;
    fx.em.org.data.configure({
      customFields: [
        ...fx.em.org.data.settings.customFields,
        { sobject: 'Case', name: 'Ticket__c', type: 'Text', length: 40, externalId: true, label: 'Ticket' },
      ],
    });
    await control(fx.em, 'PATCH', `/orgs/${fx.em.orgId}/grants/${fx.em.demo.permissionSetId}`, {
      objectPermissions: { Case: { read: true, create: true, edit: true, delete: true, viewAll: true } },
    });
    for (let i = 0; i < 30; i += 1) {
      fx.em.org.data.insert(
        'Case',
        { Subject: `${PREFIX} seeded ${String(i).padStart(2, '0')}`, Status: 'New' },
        userId,
      );
    }
    succeeded(
      await sf.run([
        'org',
        'login',
        'jwt',
        '--client-id',
        fx.em.consumerKey,
        '--jwt-key-file',
        fx.em.privateKeyPath,
        '--username',
        fx.em.username,
        '--instance-url',
        fx.em.loginUrl,
        '--alias',
        ALIAS,
      ]),
    );
  });

  after(async () => {
    await fx.close();
  });

  // `sf data query --bulk` is gone from sf 2.146.3 ("Nonexistent flags: --bulk, --wait"); `sf data export bulk`
  // replaced it, and `--all-rows` is its queryAll.
  void it('sf data export bulk --all-rows writes JSON including a deleted row', async () => {
    const [victim] = caseIds(`${PREFIX} seeded 29`);
    assert.ok(victim);
    fx.em.org.data.remove('Case', victim, userId);
    const file = join(fx.dir, 'export.json');
    succeeded(
      await sf.run([
        'data',
        'export',
        'bulk',
        '--query',
        `SELECT Id, Subject, IsDeleted FROM Case WHERE Subject LIKE '${PREFIX} seeded%'`,
        '--all-rows',
        '--output-file',
        file,
        '--result-format',
        'json',
        '--wait',
        '1',
        '--target-org',
        ALIAS,
      ]),
    );
    const rows = JSON.parse(readFileSync(file, 'utf8')) as { Id: string; IsDeleted: unknown }[];
    assert.equal(rows.length, 30);
    assert.ok(rows.some((r) => r.Id === victim && String(r.IsDeleted) === 'true'));
  });

  void it('sf data export bulk writes the CSV file with the chosen delimiter', async () => {
    const file = join(fx.dir, 'export.csv');
    succeeded(
      await sf.run([
        'data',
        'export',
        'bulk',
        '--query',
        `SELECT Id, Subject FROM Case WHERE Subject LIKE '${PREFIX} seeded%' ORDER BY Subject`,
        '--output-file',
        file,
        '--result-format',
        'csv',
        '--column-delimiter',
        'SEMICOLON',
        '--wait',
        '1',
        '--target-org',
        ALIAS,
      ]),
    );
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 30, 'the header and the 29 rows not deleted');
    assert.match(lines[0] ?? '', /^"?Id"?;"?Subject"?$/);
    assert.ok(lines[1]?.includes(`${PREFIX} seeded 00`));
  });

  void it('sf data import bulk inserts the rows of a CSV file', async () => {
    const file = join(fx.dir, 'import.csv');
    writeFileSync(
      file,
      `Subject,Status,Ticket__c\n${PREFIX} imported 1,New,T-1\n"${PREFIX} imported, 2",New,T-2\n`,
    );
    succeeded(
      await sf.run([
        'data',
        'import',
        'bulk',
        '--file',
        file,
        '--sobject',
        'Case',
        '--wait',
        '1',
        '--target-org',
        ALIAS,
      ]),
    );
    assert.equal(caseIds(`${PREFIX} imported%`).length, 2);
  });

  void it('sf data upsert bulk updates by external ID and creates the unknown', async () => {
    const file = join(fx.dir, 'upsert.csv');
    writeFileSync(file, `Ticket__c,Subject\nT-1,${PREFIX} upserted 1\nT-3,${PREFIX} upserted 3\n`);
    succeeded(
      await sf.run([
        'data',
        'upsert',
        'bulk',
        '--file',
        file,
        '--sobject',
        'Case',
        '--external-id',
        'Ticket__c',
        '--wait',
        '1',
        '--target-org',
        ALIAS,
      ]),
    );
    assert.equal(caseIds(`${PREFIX} upserted%`).length, 2);
    assert.equal(caseIds(`${PREFIX} imported 1`).length, 0, 'T-1 was renamed, not duplicated');
  });

  void it('sf data delete bulk deletes the listed Ids', async () => {
    const ids = caseIds(`${PREFIX} upserted%`);
    const file = join(fx.dir, 'delete.csv');
    writeFileSync(file, `Id\n${ids.join('\n')}\n`);
    succeeded(
      await sf.run([
        'data',
        'delete',
        'bulk',
        '--file',
        file,
        '--sobject',
        'Case',
        '--wait',
        '1',
        '--target-org',
        ALIAS,
      ]),
    );
    assert.equal(caseIds(`${PREFIX} upserted%`).length, 0);
    for (const id of ids) assert.equal(fx.em.org.data.peek(id)?.deleted, true);
  });

  void it('nothing tried to leave the machine', () => {
    assert.deepEqual(readBlocked(blockedLog), []);
  });
});
