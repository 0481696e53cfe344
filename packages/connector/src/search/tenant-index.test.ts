import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { StoredKnowledgeArticle } from '../domain/knowledge/article.js';
import { DEFAULT_RANKING } from '../domain/knowledge/ranking.js';
import { packSections } from './html-sections.js';
import { InMemoryTenantIndex, sectionsTextOf } from './tenant-index.js';

function vpnArticle(title: string, version: number): StoredKnowledgeArticle {
  return {
    tenantId: 'acme',
    articleId: 'ka1',
    language: 'en_US',
    versionId: null,
    articleNumber: '000001',
    versionNumber: version,
    title,
    urlName: 'vpn',
    bodyHtml: '<p>Install the VPN client first.</p>',
    lastPublishedAt: null,
    changeSeq: version,
  };
}

const titles = (index: InMemoryTenantIndex, query: string): string[] =>
  index.search('en_US', query, { limit: 5, params: DEFAULT_RANKING }).hits.map((h) => h.article.title);

test('a question asked again is answered from the articles as they are now, not from before a change', () => {
  const index = new InMemoryTenantIndex();
  index.put(vpnArticle('Connecting to the VPN', 1));
  assert.deepEqual(titles(index, 'vpn client'), ['Connecting to the VPN']);
  assert.deepEqual(titles(index, 'vpn client'), ['Connecting to the VPN']);
  index.put(vpnArticle('VPN on a new laptop', 2));
  assert.deepEqual(titles(index, 'vpn client'), ['VPN on a new laptop']);
  index.remove({ articleId: 'ka1', language: 'en_US' });
  assert.deepEqual(titles(index, 'vpn client'), []);
});

test('repeated questions are kept up to the cache size, and not at all when it is 0', () => {
  const index = new InMemoryTenantIndex({ cachedAnswers: 1 });
  index.put(vpnArticle('Connecting to the VPN', 1));
  titles(index, 'vpn');
  titles(index, 'client');
  assert.equal(index.answers.size, 1);
  const off = new InMemoryTenantIndex({ cachedAnswers: 0 });
  off.put(vpnArticle('Connecting to the VPN', 1));
  titles(off, 'vpn');
  assert.equal(off.answers.size, 0);
});

test('an article is indexed from the sections stored beside its HTML when this parser made them, else from its HTML', () => {
  const index = new InMemoryTenantIndex();
  const stored = packSections([
    { heading: null, text: 'Read this first.' },
    { heading: 'Tokens', text: 'Press the token button.' },
  ]);
  index.put({ ...vpnArticle('Hardware tokens', 1), bodyHtml: '', sectionsText: stored });
  index.put({
    ...vpnArticle('Old parser', 1),
    articleId: 'ka2',
    bodyHtml: '<p>Printer toner on floor two.</p>',
    sectionsText: 's0\u001dstale\u001fwords\u001e',
  });
  const [hit] = index.search('en_US', 'token button', { limit: 5, params: DEFAULT_RANKING }).hits;
  assert.equal(hit?.article.title, 'Hardware tokens');
  assert.equal(hit?.section.heading, 'Tokens');
  assert.deepEqual(titles(index, 'toner'), ['Old parser']);
  assert.deepEqual(titles(index, 'stale'), []);
  assert.equal(
    sectionsTextOf('<h2>Tokens</h2><p>Press it.</p>'),
    packSections([{ heading: 'Tokens', text: 'Press it.' }]),
  );
});
