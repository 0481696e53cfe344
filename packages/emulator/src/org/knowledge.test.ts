// Tests for the Knowledge lifecycle and its query rules: versions, publish/archive/new draft, PublishStatus
// filters, draft/archived visibility, and SOSL over articles.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sfError, testOrg } from './test-fixtures.js';

void test('publish, new draft, publish again: versions share KnowledgeArticleId and ArticleNumber', () => {
  const t = testOrg();
  const v1 = t.org.create(t.admin, 'Knowledge__kav', {
    Title: 'Reset VPN',
    UrlName: 'reset-vpn',
    Answer__c: '<p>Reboot</p>',
  });
  let r1 = t.org.peek(v1)?.record ?? {};
  assert.equal(r1['PublishStatus'], 'Draft');
  assert.equal(r1['VersionNumber'], 1);
  assert.equal(r1['ArticleNumber'], '000001000');
  assert.match(String(r1['KnowledgeArticleId']), /^kA0/);
  t.org.publishArticle(v1, t.ids.admin);
  const articleId = String(r1['KnowledgeArticleId']);
  t.clock.advance(60_000);
  const v2 = t.org.newDraftVersion(articleId, t.ids.admin);
  t.org.patch('Knowledge__kav', v2, { Title: 'Reset the VPN' }, t.ids.admin);
  t.org.publishArticle(v2, t.ids.admin);
  r1 = t.org.peek(v1)?.record ?? {};
  const r2 = t.org.peek(v2)?.record ?? {};
  assert.equal(r1['PublishStatus'], 'Archived');
  assert.equal(r1['IsLatestVersion'], false);
  assert.equal(r2['PublishStatus'], 'Online');
  assert.equal(r2['IsLatestVersion'], true);
  assert.equal(r2['VersionNumber'], 2);
  assert.equal(r2['KnowledgeArticleId'], articleId);
  assert.equal(r2['ArticleNumber'], '000001000');
  assert.equal(r2['FirstPublishedDate'], '2024-01-15T10:30:00.000+0000');
  assert.equal(r2['LastPublishedDate'], '2024-01-15T10:31:00.000+0000');

  t.org.archiveArticle(articleId, t.ids.admin);
  assert.equal(t.org.peek(v2)?.record['PublishStatus'], 'Archived');
  assert.equal(t.org.peek(v2)?.record['ArticleArchivedDate'], '2024-01-15T10:31:00.000+0000');
  assert.equal(
    t.org.query(t.admin, "SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online'").totalSize,
    0,
  );
});

void test('PublishStatus must be a single top-level value unless filtering by Id; drafts need View Draft Articles', () => {
  const t = testOrg();
  const draft = t.org.create(t.admin, 'Knowledge__kav', { Title: 'Draft one', UrlName: 'draft-one' });
  const online = t.org.create(t.admin, 'Knowledge__kav', { Title: 'Online one', UrlName: 'online-one' });
  t.org.publishArticle(online, t.ids.admin);
  const multi = sfError(() =>
    t.org.query(t.admin, "SELECT Id FROM Knowledge__kav WHERE PublishStatus IN ('Online', 'Draft')"),
  );
  assert.equal(multi.errorCode, 'MALFORMED_QUERY');
  assert.match(multi.message, /Implementation restriction/);
  const or = sfError(() =>
    t.org.query(
      t.admin,
      "SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online' OR PublishStatus = 'Draft'",
    ),
  );
  assert.equal(or.errorCode, 'MALFORMED_QUERY');
  assert.equal(
    t.org.query(
      t.admin,
      `SELECT Id FROM Knowledge__kav WHERE Id IN ('${draft}', '${online}') AND PublishStatus IN ('Online','Draft')`,
    ).totalSize,
    2,
  );
  const agentDrafts = t.org.query(t.agent, "SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'draft'");
  assert.equal(agentDrafts.totalSize, 0);
  const agentOnline = t.org.query(
    t.agent,
    "SELECT Id, Title FROM KnowledgeArticleVersion WHERE PublishStatus = 'online' AND Language = 'en_US'",
  );
  assert.equal(agentOnline.records[0]?.['Title'], 'Online one');
  assert.deepEqual(agentOnline.records[0]?.['attributes'], {
    type: 'KnowledgeArticleVersion',
    url: `/services/data/v62.0/sobjects/KnowledgeArticleVersion/${online}`,
  });
  assert.equal(t.org.query({ ...t.agent, apiVersion: '46.0' }, 'SELECT Id FROM Knowledge__kav').totalSize, 1);
});

void test('without the Knowledge User licence, or with Knowledge off, Knowledge__kav is INVALID_TYPE', () => {
  const t = testOrg();
  assert.equal(
    sfError(() => t.org.query(t.reader, "SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online'"))
      .errorCode,
    'INVALID_TYPE',
  );
  t.org.configure({ knowledgeEnabled: false });
  assert.equal(
    sfError(() => t.org.query(t.admin, "SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online'"))
      .errorCode,
    'INVALID_TYPE',
  );
});

void test('UrlName is unique per language', () => {
  const t = testOrg();
  t.org.create(t.admin, 'Knowledge__kav', { Title: 'A', UrlName: 'same' });
  assert.equal(
    sfError(() => t.org.create(t.admin, 'Knowledge__kav', { Title: 'B', UrlName: 'Same' })).errorCode,
    'DUPLICATE_VALUE',
  );
  t.org.create(t.admin, 'Knowledge__kav', { Title: 'C', UrlName: 'same', Language: 'de' });
});

void test('SOSL: ranks title hits above body hits, strips HTML, applies visibility, snippets, short terms refused', () => {
  const t = testOrg();
  const body = t.org.create(t.admin, 'Knowledge__kav', {
    Title: 'Network',
    UrlName: 'net',
    Answer__c: '<p>Use the <b>printer</b> queue</p>',
  });
  const title = t.org.create(t.admin, 'Knowledge__kav', {
    Title: 'Printer jams',
    UrlName: 'jam',
    Summary: 'Paper',
  });
  const draft = t.org.create(t.admin, 'Knowledge__kav', { Title: 'Printer draft', UrlName: 'draft' });
  void draft;
  t.org.publishArticle(body, t.ids.admin);
  t.org.publishArticle(title, t.ids.admin);
  const caseId = t.org.create(t.agent, 'Case', { Subject: 'My printer is broken' });
  t.org.create(t.agent2, 'Case', { Subject: 'Their printer' });
  const result = t.org.search(
    t.agent,
    "FIND {printer} IN ALL FIELDS RETURNING KnowledgeArticleVersion(Id, Title WHERE PublishStatus = 'Online' AND Language = 'en_US'), Case(Id, Subject) WITH SNIPPET (target_length=80)",
  );
  const ids = result.searchRecords.map((r) => r['Id']);
  assert.deepEqual(ids, [title, body, caseId]);
  assert.match(String(result.searchRecords[1]?.['snippet.text']), /<mark>printer<\/mark> queue/);
  assert.deepEqual(
    t.org
      .search(t.agent, 'FIND {"printer queue"} RETURNING Knowledge__kav(Id)')
      .searchRecords.map((r) => r['Id']),
    [body],
  );
  assert.deepEqual(
    t.org.search(t.agent, 'FIND {print*} RETURNING Case(Id)').searchRecords.map((r) => r['Id']),
    [caseId],
  );
  assert.deepEqual(
    t.org.search(t.agent, 'FIND {printer AND NOT broken} RETURNING Case(Id)').searchRecords,
    [],
  );
  const short = sfError(() => t.org.search(t.agent, 'FIND {a} RETURNING Case(Id)'));
  assert.equal(short.errorCode, 'MALFORMED_SEARCH');
});
