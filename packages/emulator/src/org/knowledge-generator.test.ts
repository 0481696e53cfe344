// The article generator: deterministic for a seed, one published version per article and language, the channel
// patterns it documents, and bad specs refused with a reason.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sfError, testOrg } from './test-fixtures.js';

function generated(seed: number): Record<string, unknown>[] {
  const t = testOrg({
    knowledgeBodyFields: [
      { name: 'Question__c', label: 'Q' },
      { name: 'Answer__c', label: 'A' },
    ],
  });
  t.org.generateArticles({ count: 300, seed, translations: ['de'], translateEvery: 2 }, t.ids.admin);
  // rich-text fields cap pages at 200 rows: follow them
  let page = t.org.query(
    t.admin,
    "SELECT Title, Language, Question__c, Answer__c, UrlName, IsVisibleInPkb, IsVisibleInCsp, IsVisibleInPrm FROM Knowledge__kav WHERE PublishStatus = 'Online' ORDER BY ArticleNumber, Language",
  );
  const rows = [...page.records];
  while (page.nextRecordsUrl !== undefined) {
    page = t.org.queryMore(t.admin, page.nextRecordsUrl.split('/').pop() ?? '');
    rows.push(...page.records);
  }
  return rows.map((r) => {
    const copy: Record<string, unknown> = { ...r };
    delete copy['attributes'];
    return copy;
  });
}

void test('the same seed gives the same articles; another seed other ones', () => {
  const a = generated(11);
  assert.equal(a.length, 300 + 150);
  assert.deepEqual(generated(11), a);
  assert.notDeepEqual(
    generated(12).map((r) => r['Title']),
    a.map((r) => r['Title']),
  );
  assert.equal(new Set(a.filter((r) => r['Language'] === 'en_US').map((r) => r['UrlName'])).size, 300);
  const german = a.filter((r) => r['Language'] === 'de');
  assert.equal(german.length, 150);
  assert.ok(
    a.every((r) => String(r['Question__c']).startsWith('<p>') && String(r['Answer__c']).startsWith('<p>')),
  );
  const masters = a.filter((r) => r['Language'] === 'en_US');
  assert.equal(masters.filter((r) => r['IsVisibleInPkb'] === true).length, 150);
  assert.equal(masters.filter((r) => r['IsVisibleInCsp'] === true).length, 100);
  assert.equal(masters.filter((r) => r['IsVisibleInPrm'] === true).length, 60);
});

void test('a bad spec is refused with the reason', () => {
  const t = testOrg();
  for (const spec of [
    { count: 0 },
    { count: 1.5 },
    { count: 300_000 },
    { count: 5, translations: ['xx'] },
    { count: 5, translations: ['en_US'] },
  ]) {
    const err = sfError(() => t.org.generateArticles(spec, t.ids.admin));
    assert.equal(err.errorCode, 'INVALID_INPUT', JSON.stringify(spec));
  }
});
