// The incremental read's wire behaviour without the emulator: each page is one keyset query strictly after the
// previous page's last row, and a record that does not match its schema is set aside with its id, never a stall.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { z } from 'zod';

import { startScriptedGateway } from '../../test/helpers/scripted-gateway.js';
import type { ScriptedSalesforce } from '../../test/helpers/scripted-salesforce.js';
import type { SyncPage } from '../domain/ports.js';
import type { SupportCase } from '../domain/support.js';
import type { Tenant } from '../domain/tenant.js';
import type { JsforceSalesforceGateway } from './gateway.js';
import { queryAll } from './query-pages.js';
import { soql } from './soql.js';
import type { SalesforceClient } from './salesforce-client.js';

let sf: ScriptedSalesforce;
let gateway: JsforceSalesforceGateway;
let client: SalesforceClient;
let tenant: Tenant;

const row = (id: string, modstamp: string, overrides: Record<string, unknown> = {}) => ({
  attributes: { type: 'Case' },
  Id: id,
  CaseNumber: `0000${id.slice(-2)}`,
  Subject: 'Badge',
  Description: null,
  Status: 'New',
  IsClosed: false,
  Priority: null,
  Origin: 'Web',
  ContactId: null,
  SuppliedEmail: null,
  OwnerId: null,
  CreatedDate: modstamp,
  LastModifiedDate: modstamp,
  SystemModstamp: modstamp,
  ...overrides,
});

before(async () => {
  ({ sf, client, gateway, tenant } = await startScriptedGateway('inc', 'Inc'));
});
after(async () => {
  await sf.close();
});

async function readAll(pageSize: number): Promise<SyncPage<SupportCase>[]> {
  const pages: SyncPage<SupportCase>[] = [];
  for await (const page of gateway.casesModifiedSince({
    after: { modstamp: '2026-11-24T10:00:00.000Z', id: '' },
    pageSize,
  }))
    pages.push(page);
  return pages;
}

const queriesSent = () =>
  sf.seen
    .filter((r) => r.url.includes('/query'))
    .map((r) => decodeURIComponent(new URL(r.url, 'http://x').searchParams.get('q') ?? ''));

void test('a malformed record is set aside with its id; the page and the cursor move past it', async () => {
  sf.seen.length = 0;
  const t = '2026-11-24T10:00:05.000+0000';
  sf.handle(() => ({
    status: 200,
    body: {
      done: true,
      totalSize: 3,
      records: [
        row('500000000000001AAA', t),
        row('500000000000002AAA', t, { CaseNumber: null }),
        row('500000000000003AAA', t, { IsClosed: 'no' }),
      ],
    },
  }));
  const pages = await readAll(200);
  assert.equal(pages.length, 1, 'fewer rows than the page size: the stream is at its end');
  const [page] = pages;
  assert.deepEqual(
    page?.items.map((c) => c.id),
    ['500000000000001AAA'],
  );
  assert.deepEqual(
    page?.setAside.map((r) => r.id),
    ['500000000000002AAA', '500000000000003AAA'],
  );
  assert.match(page?.setAside[0]?.reason ?? '', /CaseNumber/);
  assert.deepEqual(page?.cursor, { modstamp: '2026-11-24T10:00:05.000Z', id: '500000000000003AAA' });
  assert.match(
    queriesSent()[0] ?? '',
    /WHERE SystemModstamp >= 2026-11-24T10:00:00Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 200$/,
  );
});

void test('each page is a keyset query strictly after the last row of the page before', async () => {
  sf.seen.length = 0;
  const t = '2026-11-24T10:00:05.000+0000';
  let call = 0;
  const full = Array.from({ length: 200 }, (_, i) => row(`500000000000${String(i).padStart(3, '0')}AAA`, t));
  sf.handle(() => {
    call += 1;
    const records = call === 1 ? full : [row('500000000000999AAA', '2026-11-24T10:00:06.000+0000')];
    return { status: 200, body: { done: true, totalSize: records.length, records } };
  });
  const pages = await readAll(200);
  assert.deepEqual(
    pages.map((p) => p.items.length),
    [200, 1],
  );
  const second = queriesSent()[1] ?? '';
  assert.match(
    second,
    /WHERE \(SystemModstamp > 2026-11-24T10:00:05Z OR \(SystemModstamp = 2026-11-24T10:00:05Z AND Id > '500000000000199AAA'\)\)/,
  );
  assert.deepEqual(pages[1]?.cursor, { modstamp: '2026-11-24T10:00:06.000Z', id: '500000000000999AAA' });
});

void test('a query read follows nextRecordsUrl to the last page', async () => {
  sf.seen.length = 0;
  const t = '2026-11-24T10:00:05.000+0000';
  sf.handle((req) =>
    req.url.includes('/query/01gNEXT-2000')
      ? { status: 200, body: { done: true, totalSize: 2, records: [row('500000000000002AAA', t)] } }
      : {
          status: 200,
          body: {
            done: false,
            totalSize: 2,
            nextRecordsUrl: '/services/data/v62.0/query/01gNEXT-2000',
            records: [row('500000000000001AAA', t)],
          },
        },
  );
  const rows = await queryAll(client, tenant, soql`SELECT Id FROM Case`, z.looseObject({ Id: z.string() }), {
    shape: 'Case',
  });
  assert.deepEqual(
    rows.map((r) => r.Id),
    ['500000000000001AAA', '500000000000002AAA'],
  );
});
