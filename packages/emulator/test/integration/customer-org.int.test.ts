// Orgs shaped like a customer's (issue 9), proven with jsforce 3.10.16 unmodified over HTTP: what a new
// CaseComment does to its Case, text limits in bytes, and the rest of the customer-org features.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SignJWT, importPKCS8 } from 'jose';
import jsforce, { type Connection } from 'jsforce';
import {
  JWT_BEARER,
  control,
  signAssertion,
  startDemoEmulator,
  type EmulatorFixture,
} from '../helpers/emulator-fixture.js';

const VERSION = '64.0';

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { errorCode?: string; statusCode?: string; message: string; fields?: string[] }[];
}

interface JsforceError extends Error {
  errorCode?: string;
}

void describe('customer-shaped orgs through jsforce', () => {
  let fx: EmulatorFixture;
  let conn: Connection;
  const org = (): string => `/orgs/${fx.em.orgId}`;

  before(async () => {
    fx = await startDemoEmulator({ demo: { contacts: 20, cases: 6 } });
    const oauth2 = new jsforce.OAuth2({ loginUrl: fx.em.loginUrl, clientId: fx.em.consumerKey });
    const token = await oauth2.requestToken({
      grant_type: JWT_BEARER,
      assertion: await signAssertion(fx.em),
    });
    conn = new jsforce.Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: VERSION,
    });
  });

  after(async () => {
    await fx.close();
  });

  const advance = (ms: number): Promise<unknown> => control(fx.em, 'POST', '/clock', { advanceMs: ms });

  interface Stamps {
    LastModifiedDate: string;
    SystemModstamp: string;
    LastModifiedById: string;
  }
  const caseStamps = async (id: string): Promise<Stamps> =>
    (await conn.sobject('Case').retrieve(id, {
      fields: ['LastModifiedDate', 'SystemModstamp', 'LastModifiedById'],
    })) as unknown as Stamps;

  void it('a new CaseComment leaves its Case alone by default; the org setting can move SystemModstamp or both', async () => {
    const created = (await conn
      .sobject('Case')
      .create({ Subject: 'comment stamps', Origin: 'Web' })) as SaveResult;
    const caseId = created.id ?? '';
    const comment = async (): Promise<Stamps> => {
      await advance(60_000);
      const res = (await conn
        .sobject('CaseComment')
        .create({ ParentId: caseId, CommentBody: 'note' })) as SaveResult;
      assert.equal(res.success, true);
      return caseStamps(caseId);
    };
    const start = await caseStamps(caseId);
    assert.deepEqual(await comment(), start, 'default: the Case is not modified by a comment');

    await control(fx.em, 'PATCH', `${org()}/settings`, { caseCommentTouchesCase: 'systemModstamp' });
    const system = await comment();
    assert.equal(system.LastModifiedDate, start.LastModifiedDate);
    assert.ok(system.SystemModstamp > start.SystemModstamp, 'SystemModstamp moved');

    await control(fx.em, 'PATCH', `${org()}/settings`, { caseCommentTouchesCase: 'lastModified' });
    const both = await comment();
    assert.ok(both.LastModifiedDate > system.LastModifiedDate, 'LastModifiedDate moved');
    assert.equal(both.SystemModstamp, both.LastModifiedDate);

    await control(fx.em, 'PATCH', `${org()}/settings`, { caseCommentTouchesCase: 'none' });
    const refused = await fetch(`${fx.em.controlUrl}${org()}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fx.em.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ caseCommentTouchesCase: 'sometimes' }),
    });
    assert.equal(refused.status, 400);
  });

  void it('counts CaseComment.CommentBody in UTF-8 bytes (4,000) and other text fields in characters', async () => {
    const caseId = ((await conn.sobject('Case').create({ Subject: 'byte limits' })) as SaveResult).id ?? '';
    const comment = async (body: string): Promise<SaveResult | JsforceError> => {
      try {
        return (await conn
          .sobject('CaseComment')
          .create({ ParentId: caseId, CommentBody: body })) as SaveResult;
      } catch (err) {
        return err as JsforceError;
      }
    };
    const cjk = (n: number): string => '漢'.repeat(n); // 3 bytes each
    const emoji = (n: number): string => '😀'.repeat(n); // 4 bytes each
    for (const body of ['a'.repeat(4000), cjk(1333), emoji(1000)]) {
      const ok = await comment(body);
      assert.equal(
        (ok as SaveResult).success,
        true,
        `${body.length} UTF-16 units, ${Buffer.byteLength(body)} bytes`,
      );
    }
    for (const body of ['a'.repeat(4001), cjk(1334), emoji(1001), `${cjk(1333)}ab`]) {
      const refused = await comment(body);
      assert.equal(
        (refused as JsforceError).errorCode,
        'STRING_TOO_LONG',
        `${Buffer.byteLength(body)} bytes`,
      );
      assert.match((refused as JsforceError).message, /^Body: data value too large: .*\(max length=4000\)$/);
    }
    // Case.Comments becomes a CaseComment, so it is held to the same 4,000 bytes.
    await assert.rejects(
      conn.sobject('Case').update({ Id: caseId, Comments: cjk(1334) }),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'STRING_TOO_LONG');
        return true;
      },
    );
    // Subject is 255 characters, whatever their bytes: 255 CJK characters (765 bytes) fit, 256 do not.
    const subject = (await conn.sobject('Case').update({ Id: caseId, Subject: cjk(255) })) as SaveResult;
    assert.equal(subject.success, true);
    await assert.rejects(
      conn.sobject('Case').update({ Id: caseId, Subject: cjk(256) }),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'STRING_TOO_LONG');
        return true;
      },
    );
    const stored = (await conn.sobject('Case').retrieve(caseId, { fields: ['Subject'] })) as {
      Subject: string;
    };
    assert.equal(stored.Subject, cjk(255), 'CJK text comes back as sent');
  });

  void it('conditional requests: If-Modified-Since 304, If-Unmodified-Since 412 so a case closes only if unchanged', async () => {
    const V = `/services/data/v${VERSION}`;
    const caseId = ((await conn.sobject('Case').create({ Subject: 'conditional' })) as SaveResult).id ?? '';
    const raw = (
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ): Promise<Response> =>
      fetch(`${fx.em.loginUrl}${V}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${conn.accessToken ?? ''}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const { LastModifiedDate } = (await conn.sobject('Case').retrieve(caseId)) as unknown as {
      LastModifiedDate: string;
    };
    const modified = Date.parse(LastModifiedDate.replace('+0000', 'Z'));
    const later = new Date(modified + 3_600_000).toUTCString();
    const earlier = new Date(modified - 3_600_000).toUTCString();

    const same = await raw('GET', `/sobjects/Case/${caseId}`, { 'If-Modified-Since': later });
    assert.equal(same.status, 304);
    assert.equal(await same.text(), '');
    assert.equal(
      (await raw('GET', `/sobjects/Case/${caseId}`, { 'If-Modified-Since': earlier })).status,
      200,
    );

    // The client read the case; then an agent changes it; the client's close must not overwrite that.
    const readAt = new Date(modified + 1000).toUTCString();
    await advance(120_000);
    await control(fx.em, 'POST', `${org()}/actions/update-record`, {
      sobject: 'Case',
      id: caseId,
      fields: { Priority: 'High' },
    });
    await assert.rejects(
      conn.request({
        method: 'PATCH',
        url: `${V}/sobjects/Case/${caseId}`,
        body: JSON.stringify({ Status: 'Closed' }),
        headers: { 'content-type': 'application/json', 'If-Unmodified-Since': readAt },
      }),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'PRECONDITION_FAILED');
        return true;
      },
    );
    const after = (await conn.sobject('Case').retrieve(caseId)) as unknown as {
      Status: string;
      LastModifiedDate: string;
    };
    assert.notEqual(after.Status, 'Closed', 'the refused update changed nothing');
    const fresh = new Date(Date.parse(after.LastModifiedDate.replace('+0000', 'Z')) + 1000).toUTCString();
    await conn.request({
      method: 'PATCH',
      url: `${V}/sobjects/Case/${caseId}`,
      body: JSON.stringify({ Status: 'Closed' }),
      headers: { 'content-type': 'application/json', 'If-Unmodified-Since': fresh },
    });
    assert.equal(
      ((await conn.sobject('Case').retrieve(caseId)) as unknown as { Status: string }).Status,
      'Closed',
    );
    assert.equal(
      (
        await raw(
          'PATCH',
          `/sobjects/Case/${caseId}`,
          { 'If-Unmodified-Since': 'yesterday' },
          { Priority: 'Low' },
        )
      ).status,
      400,
    );
  });

  void it('ETags on Account rows: If-None-Match 304 on GET, If-Match 412 on PATCH after a change', async () => {
    const V = `/services/data/v${VERSION}`;
    const accountId = fx.em.demo?.accountId ?? '';
    const get = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${fx.em.loginUrl}${V}/sobjects/Account/${accountId}`, {
        headers: { authorization: `Bearer ${conn.accessToken ?? ''}`, ...headers },
      });
    await control(fx.em, 'PATCH', `${org()}/grants/${fx.em.demo?.permissionSetId ?? ''}`, {
      objectPermissions: { Account: { read: true, edit: true } },
    });
    const first = await get({});
    const etag = first.headers.get('etag') ?? '';
    assert.match(etag, /^"[A-Za-z0-9+/=]+"$/);
    assert.equal((await get({ 'If-None-Match': etag })).status, 304);
    assert.equal((await get({ 'If-None-Match': '"other"' })).status, 200);
    await conn.request({
      method: 'PATCH',
      url: `${V}/sobjects/Account/${accountId}`,
      body: JSON.stringify({ Name: 'Demo Corp International' }),
      headers: { 'content-type': 'application/json', 'If-Match': etag },
    });
    const changed = (await get({})).headers.get('etag');
    assert.notEqual(changed, etag, 'the tag follows the content');
    await assert.rejects(
      conn.request({
        method: 'PATCH',
        url: `${V}/sobjects/Account/${accountId}`,
        body: JSON.stringify({ Name: 'Stale write' }),
        headers: { 'content-type': 'application/json', 'If-Match': etag },
      }),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'PRECONDITION_FAILED');
        return true;
      },
    );
    // Case rows carry no ETag (documented for Account records only)
    const caseRow = await fetch(`${fx.em.loginUrl}${V}/sobjects/Case/${fx.em.demo?.caseIds[0] ?? ''}`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    });
    assert.equal(caseRow.headers.get('etag'), null);
  });

  void it('custom fields added through the control plane: describe, DML, SOQL, unique external IDs', async () => {
    const add = (spec: Record<string, unknown>): Promise<unknown> =>
      control(fx.em, 'POST', `${org()}/custom-fields`, { sobject: 'Case', ...spec });
    await add({ name: 'Ticket_Ref__c', type: 'Text', length: 40, externalId: true, unique: true });
    await add({ name: 'Severity__c', type: 'Picklist', values: ['Low', 'High'] });
    await add({ name: 'Tags__c', type: 'MultiselectPicklist', values: ['vpn', 'laptop', 'remote'] });
    await add({ name: 'Escalated_On__c', type: 'DateTime' });
    await add({ name: 'Due__c', type: 'Date' });
    await add({ name: 'Affected_Users__c', type: 'Number', precision: 6, scale: 0 });
    await add({ name: 'Is_VIP__c', type: 'Checkbox' });
    await add({ name: 'Notes__c', type: 'Html' });
    await add({ name: 'Related_Contact__c', type: 'Lookup', referenceTo: 'Contact' });
    const bad = await fetch(`${fx.em.controlUrl}${org()}/custom-fields`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.em.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sobject: 'Case', name: 'No Suffix', type: 'Text' }),
    });
    assert.equal(bad.status, 400);

    const d = await conn.sobject('Case').describe$();
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    const shape = (name: string): unknown[] => {
      const f = byName.get(name);
      return [f?.type, f?.custom, f?.externalId, f?.unique];
    };
    assert.deepEqual(shape('Ticket_Ref__c'), ['string', true, true, true]);
    assert.equal(byName.get('Ticket_Ref__c')?.length, 40);
    assert.deepEqual(shape('Severity__c'), ['picklist', true, false, false]);
    assert.deepEqual(shape('Tags__c'), ['multipicklist', true, false, false]);
    assert.deepEqual(shape('Escalated_On__c'), ['datetime', true, false, false]);
    assert.deepEqual(shape('Due__c'), ['date', true, false, false]);
    assert.deepEqual(shape('Affected_Users__c'), ['double', true, false, false]);
    assert.deepEqual(shape('Is_VIP__c'), ['boolean', true, false, false]);
    assert.equal(byName.get('Notes__c')?.extraTypeInfo, 'richtextarea');
    assert.deepEqual(byName.get('Related_Contact__c')?.referenceTo, ['Contact']);
    assert.equal(byName.get('Related_Contact__c')?.relationshipName, 'Related_Contact__r');

    const contactId = fx.em.demo?.contactIds[0] ?? '';
    const made = (await conn.sobject('Case').create({
      Subject: 'custom fields',
      Ticket_Ref__c: 'T-100',
      Severity__c: 'High',
      Tags__c: 'vpn;remote',
      Escalated_On__c: '2026-11-20T10:00:00.000Z',
      Due__c: '2026-12-01',
      Affected_Users__c: 12,
      Is_VIP__c: true,
      Notes__c: '<p>call back</p>',
      Related_Contact__c: contactId,
    })) as SaveResult;
    assert.equal(made.success, true);
    const [row] = (
      await conn.query<Record<string, unknown>>(
        "SELECT Ticket_Ref__c, Severity__c, Tags__c, Affected_Users__c, Is_VIP__c, Due__c, Related_Contact__r.Id FROM Case WHERE Severity__c = 'High' AND Affected_Users__c > 10 AND Is_VIP__c = true AND Tags__c INCLUDES ('vpn')",
      )
    ).records;
    assert.equal(row?.['Ticket_Ref__c'], 'T-100');
    assert.equal(row?.['Affected_Users__c'], 12);
    assert.equal((row?.['Related_Contact__r'] as { Id: string } | undefined)?.Id, contactId);
    await assert.rejects(
      async () => await conn.query('SELECT Nope__c FROM Case'),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'INVALID_FIELD');
        return true;
      },
    );
    await assert.rejects(
      conn.sobject('Case').create({ Subject: 'dup', Ticket_Ref__c: 't-100' }),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'DUPLICATE_VALUE', 'external IDs are unique, case-insensitively');
        return true;
      },
    );
    await assert.rejects(
      conn.sobject('Case').create({ Subject: 'wrong type', Affected_Users__c: 'many' }),
      (err: JsforceError) => {
        assert.ok(
          err.errorCode !== undefined && err.errorCode !== 'UNKNOWN_EXCEPTION',
          String(err.errorCode),
        );
        return true;
      },
    );

    // jsforce's array upsert: PATCH composite/sobjects/Case/Ticket_Ref__c, one result per record with `created`
    const seq = fx.em.emulator.callLog.lastSeq();
    const upserted = (await conn.sobject('Case').upsert(
      [
        { Ticket_Ref__c: 'T-100', Subject: 'updated by upsert' },
        { Ticket_Ref__c: 'T-200', Subject: 'created by upsert' },
      ],
      'Ticket_Ref__c',
    )) as (SaveResult & { created: boolean })[];
    assert.deepEqual(
      upserted.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, true],
      ],
    );
    assert.equal(upserted[0]?.id, made.id);
    const paths = fx.em.emulator.callLog.list({ afterSeq: seq }).map((c) => `${c.method} ${c.path}`);
    assert.deepEqual(paths, [`PATCH /services/data/v${VERSION}/composite/sobjects/Case/Ticket_Ref__c`]);
    const subjects = await conn.query<{ Subject: string }>(
      "SELECT Subject FROM Case WHERE Ticket_Ref__c IN ('T-100', 'T-200') ORDER BY Ticket_Ref__c",
    );
    assert.deepEqual(
      subjects.records.map((r) => r.Subject),
      ['updated by upsert', 'created by upsert'],
    );

    // allOrNone: one bad record rolls every other back
    const rolled = (await conn.sobject('Case').upsert(
      [
        { Ticket_Ref__c: 'T-300', Subject: 'would be created' },
        { Ticket_Ref__c: 'T-301', Affected_Users__c: 'many' },
      ],
      'Ticket_Ref__c',
      { allOrNone: true },
    )) as SaveResult[];
    assert.deepEqual(
      rolled.map((r) => r.success),
      [false, false],
    );
    assert.equal(rolled[0]?.errors[0]?.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    assert.equal((await conn.query("SELECT Id FROM Case WHERE Ticket_Ref__c = 'T-300'")).totalSize, 0);
  });

  void it('queues and assignment rules: Sforce-Auto-Assign absent, FALSE or a rule id decides the Case owner', async () => {
    await control(fx.em, 'PATCH', `${org()}/settings`, {
      queues: [
        { developerName: 'Tier1', name: 'Tier 1', sobjectTypes: ['Case'] },
        { developerName: 'VPN_Team', name: 'VPN Team', sobjectTypes: ['Case'] },
      ],
      assignmentRules: [
        {
          name: 'Standard',
          active: true,
          entries: [
            { criteria: { Origin: 'Web', Subject: 'vpn down' }, assignTo: 'VPN_Team' },
            { criteria: { Origin: 'Web' }, assignTo: 'Tier1' },
          ],
        },
        { name: 'Escalations', active: false, entries: [{ criteria: {}, assignTo: 'VPN_Team' }] },
      ],
    });
    const queues = await conn.query<{ Id: string; DeveloperName: string; Type: string }>(
      "SELECT Id, DeveloperName, Type FROM Group WHERE Type = 'Queue' ORDER BY DeveloperName",
    );
    assert.deepEqual(
      queues.records.map((q) => [q.DeveloperName, q.Type]),
      [
        ['Tier1', 'Queue'],
        ['VPN_Team', 'Queue'],
      ],
    );
    const [tier1, vpn] = queues.records.map((q) => q.Id);
    const handled = await conn.query<{ QueueId: string; SobjectType: string }>(
      'SELECT QueueId, SobjectType FROM QueueSobject',
    );
    assert.equal(handled.totalSize, 2);
    assert.ok(handled.records.every((r) => r.SobjectType === 'Case'));

    const ownerOf = async (id: string): Promise<string> =>
      ((await conn.sobject('Case').retrieve(id, { fields: ['OwnerId'] })) as unknown as { OwnerId: string })
        .OwnerId;
    const V = `/services/data/v${VERSION}`;
    const post = async (
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ): Promise<string> =>
      (
        await conn.request<{ id: string }>({
          method: 'POST',
          url: `${V}/sobjects/Case`,
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...headers },
        })
      ).id;

    const byDefault = await post({ Subject: 'printer jam', Origin: 'Web' });
    assert.equal(
      await ownerOf(byDefault),
      tier1,
      'no header: the active rule assigns (the REST default is TRUE)',
    );
    assert.equal(
      await ownerOf(await post({ Subject: 'vpn down', Origin: 'Web' })),
      vpn,
      'the first matching entry wins',
    );
    const userId = fx.em.demo?.integrationUserId ?? '';
    assert.equal(
      await ownerOf(await post({ Subject: 'printer jam', Origin: 'Web' }, { 'Sforce-Auto-Assign': 'false' })),
      userId,
      'FALSE: the creator keeps it',
    );
    assert.equal(
      await ownerOf(await post({ Subject: 'by phone', Origin: 'Phone' })),
      userId,
      'no entry matches: the owner stays',
    );

    const admin = new jsforce.Connection({
      instanceUrl: fx.em.loginUrl,
      accessToken: (
        await new jsforce.OAuth2({ loginUrl: fx.em.loginUrl, clientId: fx.em.consumerKey }).requestToken({
          grant_type: JWT_BEARER,
          assertion: await new SignJWT({})
            .setProtectedHeader({ alg: 'RS256' })
            .setIssuer(fx.em.consumerKey)
            .setSubject(fx.em.demo?.adminUsername ?? '')
            .setAudience(fx.em.loginUrl)
            // the emulator clock has moved ahead of real time in this suite
            .setExpirationTime(
              Math.floor(Date.parse((await control<{ now: string }>(fx.em, 'GET', '/clock')).now) / 1000) +
                180,
            )
            .sign(await importPKCS8(readFileSync(fx.em.privateKeyPath, 'utf8'), 'RS256')),
        })
      ).access_token,
      version: VERSION,
    });
    const [escalations] = (
      await admin.query<{ Id: string }>("SELECT Id, Active FROM AssignmentRule WHERE Name = 'Escalations'")
    ).records;
    assert.ok(escalations);
    assert.equal(
      await ownerOf(
        await post({ Subject: 'anything', Origin: 'Phone' }, { 'Sforce-Auto-Assign': escalations.Id }),
      ),
      vpn,
      'a rule id applies that rule, active or not',
    );

    // an update is assigned again by the active rule
    const phoned = await post({ Subject: 'by phone', Origin: 'Phone' });
    await conn.sobject('Case').update({ Id: phoned, Subject: 'vpn down', Origin: 'Web' });
    assert.equal(await ownerOf(phoned), vpn);

    await assert.rejects(
      post({ Subject: 'x' }, { 'Sforce-Auto-Assign': 'sometimes' }),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'MALFORMED_ID');
        return true;
      },
    );
    await control(fx.em, 'PATCH', `${org()}/settings`, { assignmentRules: [] });
  });

  void describe('Knowledge as a customer has it: a renamed article object, three body fields, languages', () => {
    let faq: Connection;
    let admin: Connection;
    interface NewOrg {
      orgId: string;
      loginUrl: string;
      demo: { consumerKey: string; username: string; adminUsername: string; privateKeyPem: string };
    }
    let created: NewOrg;
    const connect = async (username: string): Promise<Connection> => {
      const key = await importPKCS8(created.demo.privateKeyPem, 'RS256');
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(created.demo.consumerKey)
        .setSubject(username)
        .setAudience(created.loginUrl)
        .setExpirationTime(
          Math.floor(Date.parse((await control<{ now: string }>(fx.em, 'GET', '/clock')).now) / 1000) + 180,
        )
        .sign(key);
      const oauth2 = new jsforce.OAuth2({ loginUrl: created.loginUrl, clientId: created.demo.consumerKey });
      const token = await oauth2.requestToken({ grant_type: JWT_BEARER, assertion });
      return new jsforce.Connection({
        instanceUrl: token.instance_url,
        accessToken: token.access_token,
        version: VERSION,
      });
    };

    before(async () => {
      created = await control<NewOrg>(fx.em, 'POST', '/orgs', {
        name: 'faq-org',
        seed: 'demo',
        contacts: 3,
        cases: 1,
        settings: {
          knowledgeObjectName: 'FAQ',
          knowledgeLanguages: ['en_US', 'de', 'ja'],
          knowledgeBodyFields: [
            { name: 'Question__c', label: 'Question' },
            { name: 'Resolution__c', label: 'Resolution' },
            { name: 'Internal_Notes__c', label: 'Internal Notes' },
          ],
        },
      });
      faq = await connect(created.demo.username);
      admin = await connect(created.demo.adminUsername);
    });

    void it('describe shows FAQ__kav with its FAQ__ka parent, rich-text body fields, languages and channels', async () => {
      const d = await faq.sobject('FAQ__kav').describe();
      assert.equal(d.name, 'FAQ__kav');
      const byName = new Map(d.fields.map((f) => [f.name, f]));
      for (const body of ['Question__c', 'Resolution__c', 'Internal_Notes__c', 'Answer__c']) {
        const f = byName.get(body);
        assert.equal(f?.extraTypeInfo, 'richtextarea', body);
        assert.equal(f?.htmlFormatted, true, body);
        assert.equal(f?.length, 131072, body);
      }
      assert.deepEqual(byName.get('KnowledgeArticleId')?.referenceTo, ['FAQ__ka']);
      assert.deepEqual(byName.get('MasterVersionId')?.referenceTo, ['FAQ__kav']);
      assert.deepEqual(
        byName.get('Language')?.picklistValues?.map((p: { value: string }) => p.value),
        ['en_US', 'de', 'ja'],
      );
      for (const flag of ['IsVisibleInApp', 'IsVisibleInPkb', 'IsVisibleInCsp', 'IsVisibleInPrm']) {
        assert.equal(byName.get(flag)?.type, 'boolean', flag);
      }
      await assert.rejects(
        async () => await faq.query('SELECT Id FROM Knowledge__kav'),
        (err: JsforceError) => {
          assert.equal(err.errorCode, 'INVALID_TYPE');
          return true;
        },
      );
      const global = await faq.describeGlobal();
      assert.ok(global.sobjects.some((o) => o.name === 'FAQ__kav'));
      assert.ok(!global.sobjects.some((o) => o.name === 'Knowledge__kav'));
    });

    void it('a translation is its own published version in its language, pointing at the master version', async () => {
      const [master] = (
        await faq.query<{ Id: string; KnowledgeArticleId: string; Title: string }>(
          "SELECT Id, KnowledgeArticleId, Title FROM FAQ__kav WHERE PublishStatus = 'Online' AND Language = 'en_US' ORDER BY ArticleNumber LIMIT 1",
        )
      ).records;
      assert.ok(master);
      const translated = await control<{ versionId: string }>(
        fx.em,
        'POST',
        '/orgs/faq-org/actions/create-translation',
        {
          knowledgeArticleId: master.KnowledgeArticleId,
          language: 'de',
          fields: { Title: `Anleitung: ${master.Title}` },
          publish: true,
        },
      );
      const rows = (
        await faq.query<{
          Id: string;
          Language: string;
          IsMasterLanguage: boolean;
          MasterVersionId: string;
          KnowledgeArticleId: string;
        }>(
          `SELECT Id, Language, IsMasterLanguage, MasterVersionId, KnowledgeArticleId FROM FAQ__kav WHERE PublishStatus = 'Online' AND KnowledgeArticleId = '${master.KnowledgeArticleId}' ORDER BY Language`,
        )
      ).records;
      assert.deepEqual(
        rows.map((r) => [r.Language, r.IsMasterLanguage, r.MasterVersionId]),
        [
          ['de', false, master.Id],
          ['en_US', true, null],
        ],
      );
      assert.equal(rows[0]?.Id, translated.versionId);
      const german = await faq.query(
        "SELECT Id FROM FAQ__kav WHERE PublishStatus = 'Online' AND Language = 'de'",
      );
      assert.equal(german.totalSize, 1);
      const refused = await fetch(`${fx.em.controlUrl}/orgs/faq-org/actions/create-translation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fx.em.controlToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ knowledgeArticleId: master.KnowledgeArticleId, language: 'fr' }),
      });
      assert.equal(refused.status, 400, "fr is not one of the org's Knowledge languages");
    });

    void it('generates thousands of published articles with translations and channel flags, searchable and paged', async () => {
      const res = await control<{ articles: number; versions: number }>(
        fx.em,
        'POST',
        '/orgs/faq-org/knowledge/generate',
        {
          count: 3000,
          seed: 7,
          translations: ['de', 'ja'],
          translateEvery: 3,
        },
      );
      assert.deepEqual([res.articles, res.versions], [3000, 3000 + 2 * 1000]);
      const count = async (where: string): Promise<number> =>
        (await admin.query(`SELECT COUNT() FROM FAQ__kav WHERE PublishStatus = 'Online' AND ${where}`))
          .totalSize;
      assert.equal(await count("Language = 'en_US' AND UrlName LIKE 'generated-%'"), 3000);
      assert.equal(await count("Language = 'ja'"), 1000);
      assert.equal(
        await count("Language = 'en_US' AND UrlName LIKE 'generated-%' AND IsVisibleInCsp = true"),
        1000,
      );
      assert.equal(
        await count("Language = 'en_US' AND UrlName LIKE 'generated-%' AND IsVisibleInPrm = true"),
        600,
      );
      const all = await admin.query<{ Id: string; Question__c: string }>(
        "SELECT Id, Question__c FROM FAQ__kav WHERE PublishStatus = 'Online' AND Language = 'en_US' AND UrlName LIKE 'generated-%' ORDER BY ArticleNumber",
        { autoFetch: true, maxFetch: 10_000 },
      );
      assert.equal(all.records.length, 3000, 'every page followed');
      assert.ok(
        all.records.every((r) => r.Question__c.startsWith('<p>')),
        'every body field is HTML',
      );
      const search = await admin.search(
        "FIND {printer} IN ALL FIELDS RETURNING FAQ__kav(Id, Title WHERE PublishStatus = 'Online' AND Language = 'en_US')",
      );
      assert.ok(search.searchRecords.length > 0, 'generated articles are searchable');
    });
  });
});
