// Knowledge sync as the service runs it: the composition root's runner (the real KnowledgeSource through jsforce
// against emulator orgs over HTTP, the store, the search service), watched through search and the status report.
// Publish, republish, translate, archive and delete in the emulator and search follows within one sync; a load
// stopped mid-way resumes from its cursor; two tenants on two orgs never see each other's articles; bad input is a
// coded warning and nothing indexed is lost.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, startBackgroundWork, type Runtime } from '../../src/main.js';
import type { SyncProgress } from '../../src/services/knowledge/knowledge-sync.js';

let tmp: string;
let em: StartedEmulator;
let rt: Runtime;
let certificatePem: string;
let privateKeyPem: string;
const control = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> =>
  controlClient(em)<T>(method, path, body);

async function action(
  org: string,
  name: string,
  body: Record<string, unknown>,
): Promise<Record<string, string>> {
  return control<Record<string, string>>('POST', `/orgs/${org}/actions/${name}`, body);
}

async function addTenant(
  id: string,
  login: { loginUrl: string; consumerKey: string; username: string },
  settings?: Record<string, unknown>,
): Promise<void> {
  const { loginUrl, consumerKey, username } = login;
  await rt.admin.addTenant({ id, loginUrl, consumerKey, username, privateKeyPem, certificatePem });
  if (settings !== undefined) await rt.admin.updateTenant(id, { settings });
}

/** a second emulator org seeded with the demo story, for the tenant `name` */
async function demoOrg(
  name: string,
  settings: Record<string, unknown> = {},
): Promise<{ loginUrl: string; consumerKey: string; username: string }> {
  const org = await control<{ demo: { loginUrl: string; consumerKey: string; username: string } }>(
    'POST',
    '/orgs',
    { name, seed: 'demo', certificatePem, dailyApiLimit: 1_000_000, settings, cases: 0, contacts: 5 },
  );
  return org.demo;
}

async function titles(tenantId: string, query: string, language?: string): Promise<string[]> {
  const result = await rt.knowledge.search(tenantId, query, {
    limit: 50,
    ...(language === undefined ? {} : { language }),
  });
  return result.hits.map((h) => h.title);
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-ksync-rt-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator'), dailyApiLimit: 1_000_000 });
  certificatePem = readFileSync(em.certificatePath, 'utf8');
  privateKeyPem = readFileSync(em.privateKeyPath, 'utf8');
  rt = await openRuntime(loadConfig({ CASEBRIDGE_DATA_DIR: tmp }), {
    log: silentLogger(),
    inMemoryStore: true,
  });
  await addTenant('demo', em, { knowledge: { languages: ['en_US', 'de'] } });
});

after(async () => {
  await rt.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('one tenant: search follows the org within one sync', () => {
  test('the first sync loads every article on the default channels, with progress and a status', async () => {
    const seen: SyncProgress[] = [];
    const report = await rt.knowledgeSync.run('demo', (p) => seen.push(p));
    assert.equal(report.full, true);
    // the seed's internal-only articles (every seventh) stay out: the default channels are Csp and Pkb
    assert.ok(report.online > 70 && report.online < 100, `online ${report.online}`);
    assert.equal(report.read, report.online);
    assert.deepEqual(report.warnings, []);
    const last = seen.at(-1);
    assert.deepEqual(
      { done: last?.done, total: last?.total, unit: last?.unit },
      {
        done: report.online,
        total: report.online,
        unit: 'articles',
      },
    );
    for (let i = 1; i < seen.length; i++)
      assert.ok((seen[i]?.done ?? 0) >= (seen[i - 1]?.done ?? 0), 'progress never goes back');
    assert.equal((await rt.knowledge.load('demo')).articles, report.online);

    const status = (await rt.admin.status()).tenants.find((t) => t.id === 'demo')?.knowledgeSync;
    assert.equal(status?.state, 'ok');
    assert.equal(status?.full, true);
    assert.equal(status?.done, report.online);
    assert.equal(status?.written, report.online);
    assert.ok(status?.finishedAt);

    const again = await rt.knowledgeSync.run('demo');
    assert.equal(again.full, false);
    assert.equal(again.written, 0, 'an incremental sync with nothing new writes nothing');
  });

  test('publish, republish (the old link still opens the new version), translate, archive, delete', async () => {
    const published = await action('demo', 'create-article', {
      title: 'Espresso machine descaling',
      urlName: 'espresso-descaling',
      fields: { Answer__c: '<p>Run the descaling cycle every month.</p>', IsVisibleInPkb: true },
      publish: true,
    });
    await rt.knowledgeSync.run('demo');
    const first = (await rt.knowledge.search('demo', 'espresso descaling')).hits[0];
    assert.equal(first?.title, 'Espresso machine descaling');
    assert.ok(first.link !== null && first.link.endsWith('/lightning/articles/Knowledge/espresso-descaling'));

    const draft = await action('demo', 'create-draft', {
      knowledgeArticleId: published['knowledgeArticleId'],
      fields: { Title: 'Espresso machine descaling (monthly)' },
    });
    await action('demo', 'publish-article', { versionId: draft['versionId'] ?? '' });
    await rt.knowledgeSync.run('demo');
    const hits = (await rt.knowledge.search('demo', 'espresso descaling')).hits;
    assert.deepEqual(
      hits.filter((h) => h.title.startsWith('Espresso')).map((h) => [h.title, h.articleId]),
      [['Espresso machine descaling (monthly)', published['knowledgeArticleId']]],
      'one article, its new version',
    );
    assert.equal(hits[0]?.link, first.link, 'the link handed out before the republish is unchanged');
    // what the link names resolves, in the org, to the version now published
    const tenant = await rt.store.tenants.get('demo');
    assert.ok(tenant);
    const urlName = decodeURIComponent(first.link.split('/').at(-1) ?? '');
    const resolved = await rt.client.request<{ records: { Id: string; Title: string }[] }>(tenant, {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(`SELECT Id, Title FROM Knowledge__kav WHERE UrlName = '${urlName}' AND PublishStatus = 'Online' AND Language = 'en_US'`)}`,
      purpose: 'test',
    });
    assert.deepEqual(
      resolved.records.map((r) => r.Id),
      [draft['versionId']],
    );

    await action('demo', 'create-translation', {
      knowledgeArticleId: published['knowledgeArticleId'],
      language: 'de',
      fields: {
        Title: 'Espressomaschine entkalken',
        UrlName: 'espresso-entkalken',
        Answer__c: '<p>Den Entkalkungszyklus jeden Monat starten.</p>',
        IsVisibleInPkb: true,
      },
      publish: true,
    });
    await rt.knowledgeSync.run('demo');
    assert.equal((await titles('demo', 'Espressomaschine entkalken', 'de'))[0], 'Espressomaschine entkalken');

    await action('demo', 'archive-article', { knowledgeArticleId: published['knowledgeArticleId'] });
    const archived = await rt.knowledgeSync.run('demo');
    assert.ok(archived.removed >= 1);
    assert.ok(
      !(await titles('demo', 'espresso descaling')).some((t) => t.startsWith('Espresso')),
      'archived: gone from search',
    );

    const victim = (await rt.knowledge.search('demo', 'password')).hits[0];
    assert.ok(victim);
    const row = await rt.store.knowledge.get({
      tenantId: 'demo',
      articleId: victim.articleId,
      language: 'en_US',
    });
    await action('demo', 'delete-article', { versionId: row?.versionId ?? '' });
    await rt.knowledgeSync.run('demo');
    const after = (await rt.knowledge.search('demo', 'password', { limit: 50 })).hits.map((h) => h.articleId);
    assert.ok(!after.includes(victim.articleId), 'deleted: gone from search');
  });
});

describe('two tenants on two orgs, a load stopped mid-way', () => {
  before(async () => {
    await addTenant('acme', await demoOrg('acme'));
    // 6,000 generated articles, about 4,000 on the default channels: three pages of 2,000
    await control('POST', '/orgs/acme/knowledge/generate', { count: 6000, seed: 7 });
    await action('acme', 'create-article', {
      title: 'Acme forklift certification',
      fields: { Answer__c: '<p>Forklift drivers renew the certificate yearly.</p>', IsVisibleInCsp: true },
      publish: true,
    });
  });

  test('a load stopped after its first page resumes from the cursor and reads only the rest', async () => {
    const stop = new AbortController();
    await assert.rejects(
      rt.knowledgeSync.run(
        'acme',
        (p) => {
          if (p.done >= 2000) stop.abort(new Error('worker stopped'));
        },
        { signal: stop.signal },
      ),
      /worker stopped/,
    );
    const stopped = (await rt.admin.status()).tenants.find((t) => t.id === 'acme')?.knowledgeSync;
    assert.equal(stopped?.state, 'failed');
    assert.match(stopped?.error ?? '', /worker stopped/);
    const kept = (await rt.store.knowledge.countByLanguage('acme'))['en_US'] ?? 0;
    assert.ok(kept >= 2000, `${kept} kept from the first page`);

    const resumed = await rt.knowledgeSync.run('acme');
    assert.equal(resumed.full, true, 'still the first load');
    assert.ok(resumed.read <= resumed.online - kept + 1, `resumed read ${resumed.read} of ${resumed.online}`);
    assert.equal((await rt.store.knowledge.countByLanguage('acme'))['en_US'], resumed.online);
  });

  test("neither tenant's search shows the other's articles", async () => {
    assert.equal((await titles('acme', 'forklift certification'))[0], 'Acme forklift certification');
    assert.ok(!(await titles('demo', 'forklift certification')).includes('Acme forklift certification'));
    const demoOnly = await action('demo', 'create-article', {
      title: 'Demo rooftop garden access',
      fields: { Answer__c: '<p>The rooftop garden opens at noon.</p>', IsVisibleInPkb: true },
      publish: true,
    });
    assert.ok(demoOnly['knowledgeArticleId']);
    await rt.knowledgeSync.run('demo');
    await rt.knowledgeSync.run('acme');
    assert.equal((await titles('demo', 'rooftop garden'))[0], 'Demo rooftop garden access');
    assert.ok(!(await titles('acme', 'rooftop garden')).includes('Demo rooftop garden access'));
  });
});

describe('bad input: a coded warning, the rest goes on, nothing indexed lost', () => {
  const parts = Array.from({ length: 40 }, (_, i) => `Part${String(i + 1).padStart(2, '0')}__c`);

  before(async () => {
    await addTenant(
      'odd',
      await demoOrg('odd', {
        knowledgeBodyFields: [
          { name: 'Answer__c', label: 'Answer' },
          ...parts.map((name) => ({ name, label: name })),
        ],
      }),
      { knowledge: { bodyFields: ['Answer__c', ...parts, 'Gone__c'], languages: ['en_US', 'xx_XX'] } },
    );
    await action('odd', 'create-article', {
      title: 'Hostile markup article',
      fields: {
        Answer__c:
          '<p onclick="steal()">Badge readers <b>reboot</b> nightly.</p><script>document.cookie="pwned"</script><img src=x onerror="alert(1)"><p>Unclosed <div><span>tags',
        IsVisibleInPkb: true,
      },
      publish: true,
    });
    // 40 rich-text fields of 131,000 characters: a 5 MB body (a field holds at most 131,072)
    const chunk = '<p>Turbine maintenance schedule. </p>'.repeat(Math.floor(131_000 / 37));
    await action('odd', 'create-article', {
      title: 'Enormous turbine manual',
      fields: { ...Object.fromEntries(parts.map((p) => [p, chunk])), IsVisibleInPkb: true },
      publish: true,
    });
  });

  test('missing body field, unknown language, hostile HTML, a 5 MB body', async () => {
    const report = await rt.knowledgeSync.run('odd');
    const codes = new Set(report.warnings.map((w) => w.code));
    assert.ok(codes.has('KNOWLEDGE_SYNC_BODY_FIELD_MISSING'), [...codes].join());
    assert.ok(codes.has('KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN'));
    assert.ok(codes.has('KNOWLEDGE_SYNC_BODY_TRUNCATED'));
    assert.equal(report.plan.objects[0]?.pageSize, 200, '41 long-text fields: pages of 200');
    assert.ok(report.read > 70, 'the rest of the org loaded');

    const hostile = (await rt.knowledge.search('odd', 'badge readers reboot')).hits[0];
    assert.equal(hostile?.title, 'Hostile markup article');
    assert.doesNotMatch(hostile.snippet.text, /steal|pwned|alert|onerror|<script/);
    assert.ok(
      !(await titles('odd', 'pwned steal')).includes('Hostile markup article'),
      'script and handler text is not searchable',
    );
    assert.equal((await titles('odd', 'turbine maintenance'))[0], 'Enormous turbine manual');
    const status = (await rt.admin.status()).tenants.find((t) => t.id === 'odd')?.knowledgeSync;
    assert.equal(status?.warningCount, report.warnings.length);
  });

  test('Knowledge switched off in the org: a coded warning, and search still answers from what was loaded', async () => {
    const before = (await rt.store.knowledge.countByLanguage('odd'))['en_US'];
    await control('PATCH', '/orgs/odd/settings', { knowledgeEnabled: false });
    const report = await rt.knowledgeSync.run('odd');
    assert.deepEqual(
      report.warnings.map((w) => w.code),
      ['KNOWLEDGE_SYNC_NOT_ENABLED'],
    );
    assert.equal(report.removed, 0);
    assert.equal((await rt.store.knowledge.countByLanguage('odd'))['en_US'], before);
    assert.equal((await titles('odd', 'badge readers reboot'))[0], 'Hostile markup article');
  });
});

describe('the service schedules it', () => {
  test("every tenant's knowledge sync runs on its interval, and search follows", async () => {
    await rt.admin.updateTenant('acme', { settings: { knowledge: { syncIntervalMinutes: 5 } } });
    await action('demo', 'create-article', {
      title: 'Scheduled sync bicycle shed',
      fields: { Answer__c: '<p>The bicycle shed is behind building C.</p>', IsVisibleInPkb: true },
      publish: true,
    });
    const work = await startBackgroundWork(rt);
    try {
      const deadline = Date.now() + 90_000;
      const done = (): boolean =>
        ['demo', 'acme'].every(
          (id) =>
            work.status().find((j) => j.job === 'knowledge-sync' && j.tenantId === id)?.lastOutcome === 'ok',
        );
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const jobs = work.status().filter((j) => j.job === 'knowledge-sync');
      assert.ok(done(), JSON.stringify(jobs));
      assert.equal(jobs.find((j) => j.tenantId === 'demo')?.intervalMs, 15 * 60_000);
      assert.equal(jobs.find((j) => j.tenantId === 'acme')?.intervalMs, 5 * 60_000);
      assert.equal((await titles('demo', 'bicycle shed'))[0], 'Scheduled sync bicycle shed');
    } finally {
      await work.stop();
    }
  });
});
