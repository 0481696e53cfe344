// The idempotency key is recorded before the write, on PGlite and (when configured) PostgreSQL, against the
// emulator over HTTP: a worker that crashed after Salesforce made the case or comment, before it could note the
// id, is followed by a retry that finds the first one instead of writing a second.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { JsforceSalesforceGateway } from '../../src/salesforce/gateway.js';
import { IdempotentWrites } from '../../src/services/idempotent-writes.js';
import type { Store } from '../../src/store/open-store.js';
import { realClock, salesforceStack } from '../helpers/salesforce-stack.js';
import { makeTenantRecord, storeBackends } from '../helpers/store-test-kit.js';

let em: StartedEmulator;
let gateway: JsforceSalesforceGateway;

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-intents-')) });
  gateway = salesforceStack(em).gateway;
  // the admin added an external-ID field for casebridge's key (Setup → Object Manager → Case → Fields)
  await controlClient(em)('POST', `/orgs/${em.orgId}/custom-fields`, {
    sobject: 'Case',
    name: EXTERNAL_ID,
    type: 'Text',
    length: 80,
    externalId: true,
    unique: true,
  });
});
const EXTERNAL_ID = 'Casebridge_Key__c';
after(async () => {
  await em.close();
});

for (const backend of storeBackends()) {
  describe(`idempotent writes on ${backend.name}`, () => {
    let store: Store;
    let writes: IdempotentWrites;
    before(async () => {
      store = await backend.open({ clock: realClock });
      await store.tenants.insert(makeTenantRecord('demo'));
      writes = new IdempotentWrites({ intents: store.writeIntents, clock: realClock });
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('a case written before the worker crashed is found on retry, not created again', async () => {
      const subject = `Printer jam ${backend.name}`;
      const input = {
        subject,
        description: 'Tray 2',
        status: 'New',
        employeeId: null,
        origin: 'Web',
        idempotencyKey: `case:printer:${backend.name}`,
      };
      // The first attempt: key recorded, case made, then the process died before noting its id.
      assert.equal(
        (
          await store.writeIntents.begin({
            tenantId: 'demo',
            idempotencyKey: input.idempotencyKey,
            kind: 'case',
          })
        ).created,
        true,
      );
      const first = await gateway.createCase(input);
      const retried = await writes.createCase('demo', gateway, input);
      assert.equal(retried.id, first.id);
      const again = await writes.createCase('demo', gateway, input);
      assert.equal(again.id, first.id, 'the noted id answers later retries without a lookup');
      const since = new Date(Date.now() - 600_000);
      let made = 0;
      for await (const page of gateway.casesModifiedSince({
        after: { modstamp: since.toISOString(), id: '' },
      }))
        made += page.items.filter((c) => c.subject === subject).length;
      assert.equal(made, 1);
    });

    test("with the admin's external-ID field, a retry finds the case by it even after an agent rewrote the description", async () => {
      const input = {
        subject: `VPN down ${backend.name}`,
        description: 'Since this morning',
        status: 'New',
        employeeId: null,
        idempotencyKey: `case:vpn:${backend.name}`,
        externalIdField: EXTERNAL_ID,
      };
      await store.writeIntents.begin({
        tenantId: 'demo',
        idempotencyKey: input.idempotencyKey,
        kind: 'case',
      });
      const first = await gateway.createCase(input);
      const stored = await controlClient(em)<{ record: Record<string, unknown> }>(
        'GET',
        `/orgs/${em.orgId}/records/${first.id}`,
      );
      assert.equal(stored.record[EXTERNAL_ID], input.idempotencyKey, 'the key is in the field');
      // the worker died before noting the id; meanwhile an agent replaced the description, reference and all
      await controlClient(em)('POST', `/orgs/${em.orgId}/actions/update-record`, {
        sobject: 'Case',
        id: first.id,
        fields: { Description: 'Rewritten by the agent' },
      });
      const retried = await writes.createCase('demo', gateway, input);
      assert.equal(retried.id, first.id, 'found by the external ID, not created again');
      const since = new Date(Date.now() - 600_000);
      let made = 0;
      for await (const page of gateway.casesModifiedSince({
        after: { modstamp: since.toISOString(), id: '' },
      }))
        made += page.items.filter((c) => c.subject === input.subject).length;
      assert.equal(made, 1);
    });

    test('a comment likewise; a new key with the same text is a second comment', async () => {
      const target = await writes.createCase('demo', gateway, {
        subject: `Comment target ${backend.name}`,
        description: '',
        status: 'New',
        employeeId: null,
        idempotencyKey: `case:target:${backend.name}`,
      });
      const input = {
        caseId: target.id,
        body: 'Reply from the assistant\nDone.',
        isPublic: true,
        idempotencyKey: `reply:${backend.name}:1`,
      };
      await store.writeIntents.begin({
        tenantId: 'demo',
        idempotencyKey: input.idempotencyKey,
        kind: 'comment',
      });
      const first = await gateway.addCaseComment(input);
      assert.equal((await writes.addComment('demo', gateway, input)).id, first.id);
      const second = await writes.addComment('demo', gateway, {
        ...input,
        idempotencyKey: `reply:${backend.name}:2`,
      });
      assert.notEqual(second.id, first.id);
      const since = new Date(Date.now() - 600_000);
      const ids = new Set<string>();
      for await (const page of gateway.commentsModifiedSince({
        after: { modstamp: since.toISOString(), id: '' },
      }))
        for (const c of page.items) if (c.caseId === target.id) ids.add(c.id);
      assert.deepEqual(ids, new Set([first.id, second.id]));
    });
  });
}
