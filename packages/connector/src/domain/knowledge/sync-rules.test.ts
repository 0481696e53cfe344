import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  articleRecord,
  chooseBodyFields,
  chooseLanguages,
  MAX_BODY_CHARS,
  minimumCalls,
  needsIdScan,
  pageSizeFor,
  readsByBulk,
} from './sync-rules.js';

const fields = [
  { name: 'Summary', longText: true },
  { name: 'Answer__c', longText: true },
  { name: 'Notes__c', longText: false },
];

void test('two or more long-text fields cap a page at 200 rows, else 2,000', () => {
  assert.equal(pageSizeFor(1), 2000);
  assert.equal(pageSizeFor(2), 200);
  assert.equal(minimumCalls(100_000, 2000), 50);
  assert.equal(minimumCalls(0, 2000), 1);
});

void test('a full load goes by Bulk from 10 REST pages on: 1,801 rows of 200 a page, 18,001 of 2,000', () => {
  assert.equal(readsByBulk(1_800, 200), false);
  assert.equal(readsByBulk(1_801, 200), true);
  assert.equal(readsByBulk(18_000, 2000), false);
  assert.equal(readsByBulk(18_001, 2000), true);
  assert.equal(readsByBulk(0, 200), false);
});

void test('configured body fields the object lacks are reported; none left falls back to the long-text fields', () => {
  assert.deepEqual(chooseBodyFields(['answer__c', 'Gone__c'], fields), {
    fields: ['Answer__c'],
    missing: ['Gone__c'],
  });
  assert.deepEqual(chooseBodyFields(['Gone__c'], fields), {
    fields: ['Summary', 'Answer__c'],
    missing: ['Gone__c'],
  });
});

void test('a language the org lacks is set apart', () => {
  assert.deepEqual(chooseLanguages(['en_US', 'xx'], ['en_US', 'de']), {
    languages: ['en_US'],
    unknown: ['xx'],
  });
});

void test('the id scan runs when counts disagree, on the first run and daily', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  assert.equal(
    needsIdScan({ remoteCount: 5, localCount: 5, lastScanAt: '2026-12-01T00:00:00Z', now }),
    false,
  );
  assert.equal(needsIdScan({ remoteCount: 4, localCount: 5, lastScanAt: '2026-12-01T00:00:00Z', now }), true);
  assert.equal(needsIdScan({ remoteCount: 5, localCount: 5, lastScanAt: null, now }), true);
  assert.equal(needsIdScan({ remoteCount: 5, localCount: 5, lastScanAt: '2026-11-30T11:00:00Z', now }), true);
});

void test('a 5 MB body is cut on a tag boundary and flagged', () => {
  const big = '<p>' + 'x'.repeat(5_000_000) + '</p><p>end</p>';
  const { record, truncated } = articleRecord('t', {
    versionId: 'v',
    articleId: 'a',
    language: 'en_US',
    articleNumber: '1',
    versionNumber: 1,
    title: 'T',
    urlName: 'u',
    lastPublishedAt: null,
    bodies: [big, null, '<p>second</p>'],
  });
  assert.equal(truncated, true);
  assert.ok(record.bodyHtml.length <= MAX_BODY_CHARS);
});
