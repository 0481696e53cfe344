// Orgs shaped like a customer's (issue 9), proven with jsforce 3.10.16 unmodified over HTTP: what a new
// CaseComment does to its Case, text limits in bytes, and the rest of the customer-org features.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
});
