// `casebridge knowledge import` and `knowledge search` as an operator runs them: child processes on a real data
// directory, human output and --json, and clear answers to bad input.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { KnowledgeSearchResult } from '../../src/domain/knowledge/search-result.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { cliEnv, parseJson, runCasebridge, startServe } from '../helpers/cli-process.js';
import { makeTenantRecord, TestClock } from '../helpers/store-test-kit.js';

let tmp: string;
let env: NodeJS.ProcessEnv;
let articles: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-knowledge-cli-'));
  const data = join(tmp, 'data');
  env = cliEnv(data);
  const store = await openStore(
    { dataDir: data, store: { kind: 'pglite' } },
    { log: silentLogger(), clock: new TestClock() },
  );
  await store.tenants.insert(makeTenantRecord('acme', { instanceUrl: 'https://acme.my.salesforce.com' }));
  await store.close();
  articles = join(tmp, 'articles.jsonl');
  writeFileSync(
    articles,
    [
      {
        id: 'kA1',
        title: 'Office Wi-Fi',
        body: '<p>Guests use the Visitor network.</p><h2>Password</h2><p>The Wi-Fi password is on the reception desk.</p>',
        articleNumber: '000001',
      },
      { id: 'kA2', title: 'Printers', body: 'Printers are on floor 2.\nToner is in room 4.' },
    ]
      .map((a) => JSON.stringify(a))
      .join('\n'),
  );
});

after(() => rmSync(tmp, { recursive: true, force: true }));

void test('articles imported from a file are found, with section, marked snippet and link', async () => {
  const imported = await runCasebridge(['knowledge', 'import', 'acme', articles], env, 60_000);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /2 articles read, 2 new or changed/);

  const human = await runCasebridge(['knowledge', 'search', 'acme', 'wifi pasword?'], env, 60_000);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^\(searched password for "pasword"\)/);
  assert.match(human.stdout, /1\. Office Wi-Fi\n {3}article 000001 v1 \(en_US\)/);
  assert.match(human.stdout, /section: Password/);
  assert.match(human.stdout, /The \*\*Wi-Fi\*\* \*\*password\*\* is on the reception desk\./);

  const json = await runCasebridge(
    ['--json', 'knowledge', 'search', 'acme', 'toner', '--limit', '1'],
    env,
    60_000,
  );
  assert.equal(json.code, 0, json.stderr);
  const result = parseJson<KnowledgeSearchResult>(json.stdout);
  assert.equal(result.hits.length, 1);
  assert.equal(result.hits[0]?.title, 'Printers');
  assert.equal(result.hits[0]?.urlName, 'kA2');
});

void test('bad input: a clear reason or a coded error, never a stack trace', async () => {
  const stop = await runCasebridge(['--json', 'knowledge', 'search', 'acme', 'how is the'], env, 60_000);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(parseJson<KnowledgeSearchResult>(stop.stdout).reason?.code, 'only-stop-words');

  const long = await runCasebridge(
    ['--json', 'knowledge', 'search', 'acme', 'x'.repeat(10_000)],
    env,
    60_000,
  );
  assert.equal(long.code, 2);
  // with --json the error is the one JSON document on stdout
  assert.equal(parseJson<{ error: { code: string } }>(long.stdout).error.code, 'KNOWLEDGE_QUERY_TOO_LONG');

  const nobody = await runCasebridge(['knowledge', 'search', 'nobody', 'wifi'], env, 60_000);
  assert.equal(nobody.code, 6);
  assert.match(nobody.stderr, /error TENANT_NOT_FOUND/);
});

void test('while `casebridge serve` holds the store, search answers from the service through its admin API', async () => {
  const service = await startServe(env);
  try {
    const json = await runCasebridge(['--json', 'knowledge', 'search', 'acme', 'toner'], env, 60_000);
    assert.equal(json.code, 0, json.stderr);
    const result = parseJson<KnowledgeSearchResult>(json.stdout);
    assert.equal(result.hits[0]?.title, 'Printers');
    assert.equal(result.hits[0]?.articleNumber, 'kA2');

    const human = await runCasebridge(['knowledge', 'search', 'acme', 'wifi password'], env, 60_000);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /1\. Office Wi-Fi/);

    // the service's coded errors reach the operator as they would locally
    const long = await runCasebridge(
      ['--json', 'knowledge', 'search', 'acme', 'x'.repeat(10_000)],
      env,
      60_000,
    );
    assert.equal(long.code, 2);
    assert.equal(parseJson<{ error: { code: string } }>(long.stdout).error.code, 'KNOWLEDGE_QUERY_TOO_LONG');
  } finally {
    await service.stop();
  }
});
