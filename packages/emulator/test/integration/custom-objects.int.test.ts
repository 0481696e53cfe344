// Custom objects created through the control plane (issue 9.1), proven with jsforce 3.10.16 unmodified over HTTP:
// describe and the global describe, DML, SOQL (relationships both ways), SOSL, collections, upsert by external ID,
// object permissions and field-level security, and Salesforce's errors for a wrong name or a wrong type.

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
  created?: boolean;
  errors: { statusCode?: string; message: string; fields?: string[] }[];
}

interface JsforceError extends Error {
  errorCode?: string;
}

/** the jsforce error a call rejects with (fails the test when it resolves) */
async function refusal(call: () => PromiseLike<unknown>): Promise<JsforceError> {
  try {
    await call();
  } catch (err) {
    return err as JsforceError;
  }
  assert.fail('the call was expected to be refused');
}

const DEVICE_FIELDS = [
  { name: 'Serial__c', type: 'Text', length: 30, externalId: true, unique: true, label: 'Serial Number' },
  { name: 'Asset_Tag__c', type: 'Text', length: 20, unique: true },
  { name: 'Notes__c', type: 'TextArea' },
  { name: 'History__c', type: 'LongTextArea', length: 10000 },
  { name: 'Manual__c', type: 'Html' },
  { name: 'Kind__c', type: 'Picklist', values: ['Laptop', 'Phone', 'Token'] },
  { name: 'Ports__c', type: 'MultiselectPicklist', values: ['usb', 'hdmi', 'ethernet'] },
  { name: 'Managed__c', type: 'Checkbox' },
  { name: 'Cost__c', type: 'Number', precision: 8, scale: 2 },
  { name: 'Purchased__c', type: 'Date' },
  { name: 'Last_Seen__c', type: 'DateTime' },
  { name: 'Account__c', type: 'Lookup', referenceTo: 'Account' },
  { name: 'Legacy_Id__c', type: 'Number', precision: 10, scale: 0, externalId: true },
];

void describe('custom objects through the control plane, used with jsforce', () => {
  let fx: EmulatorFixture;
  let conn: Connection;
  const org = (): string => `/orgs/${fx.em.orgId}`;
  const permissionSet = (): string => `${org()}/grants/${fx.em.demo?.permissionSetId ?? ''}`;
  const controlStatus = async (method: string, path: string, body: unknown): Promise<number> =>
    (
      await fetch(`${fx.em.controlUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${fx.em.controlToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).status;

  before(async () => {
    fx = await startDemoEmulator({ demo: { contacts: 5, cases: 2 } });
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
    const made = await control<{ name: string; keyPrefix: string }>(
      fx.em,
      'POST',
      `${org()}/custom-objects`,
      {
        name: 'Device__c',
        label: 'Device',
        fields: DEVICE_FIELDS,
      },
    );
    assert.deepEqual(made, { name: 'Device__c', keyPrefix: 'a00', fields: DEVICE_FIELDS.length });
    // a Case field pointing at the new object, with the child relationship name an admin gives it
    await control(fx.em, 'POST', `${org()}/custom-fields`, {
      sobject: 'Case',
      name: 'Device__c',
      type: 'Lookup',
      referenceTo: 'Device__c',
      relationshipName: 'Cases',
    });
  });

  after(async () => {
    await fx.close();
  });

  void it('the control plane refuses a wrong object name, a duplicate, a field on an unknown object and a lookup to nowhere', async () => {
    const objects = `${org()}/custom-objects`;
    assert.equal(await controlStatus('POST', objects, { name: 'Device', label: 'No suffix' }), 400);
    assert.equal(await controlStatus('POST', objects, { name: 'Bad__Name__c', label: 'Two' }), 400);
    assert.equal(await controlStatus('POST', objects, { name: 'Device__c', label: 'Again' }), 400);
    assert.equal(await controlStatus('POST', objects, { name: 'Gadget__c' }), 400, 'a label is required');
    const fields = `${org()}/custom-fields`;
    assert.equal(
      await controlStatus('POST', fields, { sobject: 'Gadget__c', name: 'X__c', type: 'Text' }),
      400,
    );
    assert.equal(
      await controlStatus('POST', fields, {
        sobject: 'Device__c',
        name: 'Owner_Thing__c',
        type: 'Lookup',
        referenceTo: 'Gadget__c',
      }),
      400,
    );
    assert.equal(
      await controlStatus('POST', fields, { sobject: 'Device__c', name: 'Serial__c', type: 'Text' }),
      400,
      'a field name is taken once per object',
    );
  });

  void it('without object permission the object does not exist for the user: INVALID_TYPE, absent from the global describe', async () => {
    const global = await conn.describeGlobal();
    assert.ok(!global.sobjects.some((o) => o.name === 'Device__c'));
    const err = await refusal(() => conn.query('SELECT Id FROM Device__c'));
    assert.equal(err.errorCode, 'INVALID_TYPE');
    assert.match(
      err.message,
      /sObject type 'Device__c' is not supported\. If you are attempting to use a custom object, be sure to append the '__c' after the entity name\./,
    );
    // a plain request: jsforce caches describe answers, refusals included
    const described = await refusal(() =>
      conn.request(`/services/data/v${VERSION}/sobjects/Device__c/describe`),
    );
    assert.equal(described.errorCode, 'INVALID_TYPE');
  });

  void it('granted by a permission set, describe shows the object, its standard and custom fields and the child relationships', async () => {
    await control(fx.em, 'PATCH', permissionSet(), {
      objectPermissions: { Device__c: { read: true, create: true, edit: true, delete: true } },
    });
    const global = await conn.describeGlobal();
    const listed = global.sobjects.find((o) => o.name === 'Device__c');
    assert.deepEqual(
      [
        listed?.custom,
        listed?.keyPrefix,
        listed?.label,
        listed?.labelPlural,
        listed?.createable,
        listed?.queryable,
      ],
      [true, 'a00', 'Device', 'Devices', true, true],
    );
    const d = await conn.sobject('Device__c').describe$();
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    for (const standard of [
      'Id',
      'OwnerId',
      'IsDeleted',
      'Name',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
    ]) {
      assert.ok(byName.has(standard), standard);
    }
    const name = byName.get('Name');
    assert.deepEqual(
      [name?.type, name?.length, name?.nameField, name?.label],
      ['string', 80, true, 'Device Name'],
    );
    assert.deepEqual(byName.get('OwnerId')?.referenceTo, ['Group', 'User']);
    const shape = (n: string): unknown[] => {
      const f = byName.get(n);
      return [f?.type, f?.custom, f?.externalId, f?.unique, f?.extraTypeInfo ?? null];
    };
    assert.deepEqual(shape('Serial__c'), ['string', true, true, true, null]);
    assert.equal(byName.get('Serial__c')?.label, 'Serial Number');
    assert.equal(byName.get('Serial__c')?.idLookup, true);
    assert.deepEqual(shape('Asset_Tag__c'), ['string', true, false, true, null]);
    assert.deepEqual(shape('Notes__c'), ['textarea', true, false, false, null]);
    assert.deepEqual(shape('History__c'), ['textarea', true, false, false, null]);
    assert.equal(byName.get('History__c')?.length, 10000);
    assert.deepEqual(shape('Manual__c'), ['textarea', true, false, false, 'richtextarea']);
    assert.deepEqual(shape('Kind__c'), ['picklist', true, false, false, null]);
    assert.deepEqual(
      byName.get('Kind__c')?.picklistValues?.map((p: { value: string }) => p.value),
      ['Laptop', 'Phone', 'Token'],
    );
    assert.deepEqual(shape('Ports__c'), ['multipicklist', true, false, false, null]);
    assert.deepEqual(shape('Managed__c'), ['boolean', true, false, false, null]);
    assert.deepEqual(shape('Cost__c'), ['double', true, false, false, null]);
    assert.deepEqual([byName.get('Cost__c')?.precision, byName.get('Cost__c')?.scale], [8, 2]);
    assert.deepEqual(shape('Purchased__c'), ['date', true, false, false, null]);
    assert.deepEqual(shape('Last_Seen__c'), ['datetime', true, false, false, null]);
    assert.deepEqual(
      [
        byName.get('Account__c')?.type,
        byName.get('Account__c')?.referenceTo,
        byName.get('Account__c')?.relationshipName,
      ],
      ['reference', ['Account'], 'Account__r'],
    );
    await control(fx.em, 'PATCH', permissionSet(), { objectPermissions: { Account: { read: true } } });
    const account = await conn.sobject('Account').describe$();
    assert.ok(
      account.childRelationships.some(
        (r) =>
          r.childSObject === 'Device__c' && r.field === 'Account__c' && r.relationshipName === 'Devices__r',
      ),
    );
    const device = await conn.sobject('Device__c').describe();
    assert.ok(
      device.childRelationships.some(
        (r) => r.childSObject === 'Case' && r.field === 'Device__c' && r.relationshipName === 'Cases__r',
      ),
    );
  });

  void it('DML: create with every field type, a Name defaulted to the Id, wrong fields and wrong types refused with Salesforce codes', async () => {
    const accountId = fx.em.demo?.accountId ?? '';
    const made = (await conn.sobject('Device__c').create({
      Name: 'Laptop of Ana',
      Serial__c: 'SN-1',
      Asset_Tag__c: 'TAG-1',
      Notes__c: 'second floor',
      History__c: 'bought; repaired',
      Manual__c: '<p>hold <b>power</b></p>',
      Kind__c: 'Laptop',
      Ports__c: 'usb;hdmi',
      Managed__c: true,
      Cost__c: 1299.5,
      Purchased__c: '2026-01-15',
      Last_Seen__c: '2026-11-20T09:30:00.000Z',
      Account__c: accountId,
    })) as SaveResult;
    assert.equal(made.success, true);
    assert.ok(made.id?.startsWith('a00'), made.id);
    const row = (await conn.sobject('Device__c').retrieve(made.id ?? '')) as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      [row['Name'], row['Ports__c'], row['Managed__c'], row['Cost__c'], row['Purchased__c'], row['OwnerId']],
      ['Laptop of Ana', 'usb;hdmi', true, 1299.5, '2026-01-15', fx.em.demo?.integrationUserId],
    );
    assert.equal(row['Last_Seen__c'], '2026-11-20T09:30:00.000+0000');

    const unnamed = (await conn.sobject('Device__c').create({ Serial__c: 'SN-2' })) as SaveResult;
    const named = (await conn.sobject('Device__c').retrieve(unnamed.id ?? '')) as unknown as { Name: string };
    assert.equal(named.Name, unnamed.id?.slice(0, 15), 'a record without a Name is named after its Id');

    const noField = await refusal(() => conn.sobject('Device__c').create({ Name: 'x', Colour__c: 'red' }));
    assert.equal(noField.errorCode, 'INVALID_FIELD');
    assert.equal(noField.message, "No such column 'Colour__c' on sobject of type Device__c");
    const wrongType = await refusal(() => conn.sobject('Device__c').create({ Name: 'x', Cost__c: 'a lot' }));
    assert.equal(wrongType.errorCode, 'JSON_PARSER_ERROR');
    assert.match(wrongType.message, /^Cannot deserialize instance of double from VALUE_STRING value a lot/);
    const badDate = await refusal(() =>
      conn.sobject('Device__c').create({ Name: 'x', Purchased__c: 'soon' }),
    );
    assert.equal(badDate.errorCode, 'JSON_PARSER_ERROR');
    const tooLong = await refusal(() => conn.sobject('Device__c').create({ Name: 'n'.repeat(81) }));
    assert.equal(tooLong.errorCode, 'STRING_TOO_LONG');
    const wrongLookup = await refusal(() =>
      conn.sobject('Device__c').create({ Name: 'x', Account__c: fx.em.demo?.contactIds[0] ?? '' }),
    );
    assert.equal(wrongLookup.errorCode, 'FIELD_INTEGRITY_EXCEPTION', 'a Contact id in an Account lookup');
    const duplicate = await refusal(() =>
      conn.sobject('Device__c').create({ Name: 'x', Asset_Tag__c: 'tag-1' }),
    );
    assert.equal(duplicate.errorCode, 'DUPLICATE_VALUE');
    assert.equal(
      duplicate.message,
      `duplicate value found: Asset_Tag__c duplicates value on record with id: ${made.id ?? ''}`,
    );
    const wrongObject = await refusal(() => conn.sobject('Devices__c').create({ Name: 'x' }));
    assert.equal(wrongObject.errorCode, 'INVALID_TYPE');
    const missing = await refusal(() =>
      conn.sobject('Device__c').retrieve(`${made.id?.slice(0, 9) ?? ''}zzzzzz`),
    );
    assert.equal(missing.errorCode, 'NOT_FOUND');

    await conn.sobject('Device__c').update({ Id: made.id ?? '', Kind__c: 'Phone', Managed__c: false });
    const updated = (await conn.sobject('Device__c').retrieve(made.id ?? '')) as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual([updated['Kind__c'], updated['Managed__c']], ['Phone', false]);
    await conn.sobject('Device__c').destroy(unnamed.id ?? '');
    assert.equal((await conn.query("SELECT Id FROM Device__c WHERE Serial__c = 'SN-2'")).totalSize, 0);
  });

  void it('SOQL: filters on custom types, parent and child relationships both ways, errors for a wrong field or object', async () => {
    const accountId = fx.em.demo?.accountId ?? '';
    const [device] = (
      await conn.query<Record<string, unknown>>(
        "SELECT Id, Name, Account__r.Name, Cost__c FROM Device__c WHERE Ports__c INCLUDES ('hdmi') AND Cost__c > 1000 AND Purchased__c < 2026-06-01 AND Last_Seen__c = LAST_N_DAYS:3650 AND Kind__c = 'Phone'",
      )
    ).records;
    assert.equal(device?.['Name'], 'Laptop of Ana');
    assert.ok((device?.['Account__r'] as { Name?: string } | undefined)?.Name);
    const [account] = (
      await conn.query<{ Devices__r: { totalSize: number; records: { Name: string }[] } | null }>(
        `SELECT Id, (SELECT Name FROM Devices__r) FROM Account WHERE Id = '${accountId}'`,
      )
    ).records;
    assert.deepEqual(
      account?.Devices__r?.records.map((r) => r.Name),
      ['Laptop of Ana'],
    );

    const caseMade = (await conn
      .sobject('Case')
      .create({ Subject: 'laptop broken', Device__c: device?.['Id'] })) as SaveResult;
    const [kase] = (
      await conn.query<{ Device__r: { Serial__c: string } }>(
        `SELECT Device__r.Serial__c FROM Case WHERE Id = '${caseMade.id ?? ''}'`,
      )
    ).records;
    assert.equal(kase?.Device__r.Serial__c, 'SN-1');

    const noColumn = await refusal(() => conn.query('SELECT Colour__c FROM Device__c'));
    assert.equal(noColumn.errorCode, 'INVALID_FIELD');
    assert.match(
      noColumn.message,
      /No such column 'Colour__c' on entity 'Device__c'\. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name\./,
    );
    const noObject = await refusal(() => conn.query('SELECT Id FROM Device'));
    assert.equal(noObject.errorCode, 'INVALID_TYPE');
    const wrongLiteral = await refusal(() => conn.query("SELECT Id FROM Device__c WHERE Managed__c = 'yes'"));
    assert.equal(wrongLiteral.errorCode, 'INVALID_FIELD');
    assert.match(
      wrongLiteral.message,
      /value of filter criterion for field 'Managed__c' must be of type boolean and should not be enclosed in quotes/,
    );
    const longText = await refusal(() => conn.query("SELECT Id FROM Device__c WHERE History__c = 'x'"));
    assert.equal(longText.errorCode, 'INVALID_FIELD', 'long text is not filterable');
  });

  void it('SOSL finds custom object records by Name and text fields', async () => {
    const found = await conn.search('FIND {Ana} IN ALL FIELDS RETURNING Device__c(Id, Name, Serial__c)');
    assert.deepEqual(
      found.searchRecords.map((r) => [r.attributes?.type, (r as { Serial__c?: string }).Serial__c]),
      [['Device__c', 'SN-1']],
    );
    const bySerial = await conn.search('FIND {"SN-1"} IN ALL FIELDS RETURNING Device__c(Name)');
    assert.equal(bySerial.searchRecords.length, 1);
    // errors point into the caller's SOSL, as SOQL errors do into the query
    const noObject = await refusal(() => conn.search('FIND {Ana} RETURNING Devices__c(Id)'));
    assert.equal(noObject.errorCode, 'INVALID_TYPE');
    assert.match(
      noObject.message,
      /^\nFIND \{Ana\} RETURNING Devices__c\(Id\)\n {21}\^\nERROR at Row:1:Column:22\nsObject type 'Devices__c' is not supported/,
    );
    const noField = await refusal(() => conn.search('FIND {Ana} RETURNING Device__c(Colour__c)'));
    assert.equal(noField.errorCode, 'INVALID_FIELD');
    assert.match(
      noField.message,
      /RETURNING Device__c\(Colour__c\)\n {31}\^\nERROR at Row:1:Column:32\nNo such column 'Colour__c' on entity 'Device__c'/,
    );
  });

  void it('collections and upsert by external ID: jsforce array create, array upsert with created flags, single upsert', async () => {
    const batch = (await conn.sobject('Device__c').create([
      { Name: 'Token 1', Serial__c: 'TK-1', Kind__c: 'Token' },
      { Name: 'Token 2', Serial__c: 'TK-2', Kind__c: 'Token' },
      { Name: 'Token 3', Serial__c: 'TK-3', Kind__c: 'Token', Cost__c: 'free' },
    ])) as SaveResult[];
    assert.deepEqual(
      batch.map((r) => r.success),
      [true, true, false],
      'allOrNone false: the bad record alone fails',
    );
    assert.equal(batch[2]?.errors[0]?.statusCode, 'JSON_PARSER_ERROR');

    const seq = fx.em.emulator.callLog.lastSeq();
    const upserted = (await conn.sobject('Device__c').upsert(
      [
        { Serial__c: 'TK-1', Name: 'Token one' },
        { Serial__c: 'TK-9', Name: 'Token nine' },
      ],
      'Serial__c',
    )) as SaveResult[];
    assert.deepEqual(
      upserted.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, true],
      ],
    );
    assert.equal(upserted[0]?.id, batch[0]?.id);
    assert.deepEqual(
      fx.em.emulator.callLog.list({ afterSeq: seq }).map((c) => `${c.method} ${c.path}`),
      [`PATCH /services/data/v${VERSION}/composite/sobjects/Device__c/Serial__c`],
    );
    const single = (await conn
      .sobject('Device__c')
      .upsert({ Serial__c: 'TK-2', Kind__c: 'Phone' }, 'Serial__c')) as SaveResult;
    assert.equal(single.success, true);
    const rows = await conn.query<{ Serial__c: string; Name: string; Kind__c: string }>(
      "SELECT Serial__c, Name, Kind__c FROM Device__c WHERE Serial__c LIKE 'TK-%' ORDER BY Serial__c",
    );
    assert.deepEqual(
      rows.records.map((r) => [r.Serial__c, r.Name, r.Kind__c]),
      [
        ['TK-1', 'Token one', 'Token'],
        ['TK-2', 'Token 2', 'Phone'],
        ['TK-9', 'Token nine', null],
      ],
    );
    // a Number external ID, as legacy systems' numeric keys are
    const numeric = (await conn.sobject('Device__c').upsert(
      [
        { Legacy_Id__c: 4711, Name: 'Legacy router' },
        { Legacy_Id__c: 4712, Name: 'Legacy switch' },
      ],
      'Legacy_Id__c',
    )) as SaveResult[];
    assert.deepEqual(
      numeric.map((r) => r.created),
      [true, true],
    );
    const again = (await conn
      .sobject('Device__c')
      .upsert({ Legacy_Id__c: 4711, Kind__c: 'Token' }, 'Legacy_Id__c')) as SaveResult;
    assert.equal(again.id, numeric[0]?.id);
    // External ID without Unique: a second record may hold the same value; an upsert by it then finds both
    const twin = (await conn.sobject('Device__c').create({ Name: 'twin', Legacy_Id__c: 4712 })) as SaveResult;
    assert.equal(twin.success, true);
    const ambiguous = (await conn
      .sobject('Device__c')
      .upsert([{ Legacy_Id__c: 4712, Name: 'which one?' }], 'Legacy_Id__c')) as SaveResult[];
    assert.equal(ambiguous[0]?.success, false);
    assert.equal(ambiguous[0]?.errors[0]?.statusCode, 'DUPLICATE_EXTERNAL_ID');
    const byUrl = await fetch(
      `${fx.em.loginUrl}/services/data/v${VERSION}/sobjects/Device__c/Legacy_Id__c/4712`,
      { headers: { authorization: `Bearer ${conn.accessToken ?? ''}` } },
    );
    assert.equal(byUrl.status, 300, 'several matches: 300 Multiple Choices');
    const wrongKey = await refusal(() =>
      conn.sobject('Device__c').upsert({ Notes__c: 'x', Name: 'y' }, 'Notes__c'),
    );
    assert.equal(wrongKey.errorCode, 'NOT_FOUND', 'Notes__c is not an External ID field');
  });

  void it('field-level security from the permission set: a hidden field is absent and INVALID_FIELD, a read-only one refuses writes', async () => {
    await control(fx.em, 'PATCH', permissionSet(), {
      fieldPermissions: {
        'Device__c.Cost__c': { readable: false, editable: false },
        'Device__c.Asset_Tag__c': { readable: true, editable: false },
      },
    });
    try {
      const described = await conn.sobject('Device__c').describe();
      const names = described.fields.map((f) => f.name);
      assert.ok(!names.includes('Cost__c'), 'a field the user cannot read is not described');
      const tag = described.fields.find((f) => f.name === 'Asset_Tag__c');
      assert.deepEqual([tag?.createable, tag?.updateable], [false, false]);
      const hidden = await refusal(() => conn.query('SELECT Cost__c FROM Device__c'));
      assert.equal(hidden.errorCode, 'INVALID_FIELD');
      const write = await refusal(() => conn.sobject('Device__c').create({ Name: 'z', Cost__c: 5 }));
      assert.equal(write.errorCode, 'INVALID_FIELD');
      const readOnly = await refusal(() =>
        conn.sobject('Device__c').create({ Name: 'z', Asset_Tag__c: 'T-9' }),
      );
      assert.equal(readOnly.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
      const [row] = (
        await conn.query<Record<string, unknown>>(
          "SELECT FIELDS(ALL) FROM Device__c WHERE Serial__c = 'SN-1' LIMIT 1",
        )
      ).records;
      assert.ok(row && !('Cost__c' in row) && 'Asset_Tag__c' in row);
    } finally {
      await control(fx.em, 'PATCH', permissionSet(), {
        fieldPermissions: {
          'Device__c.Cost__c': { readable: true, editable: true },
          'Device__c.Asset_Tag__c': { readable: true, editable: true },
        },
      });
    }
    // read-only object permission: reads work, writes are refused
    await control(fx.em, 'PATCH', permissionSet(), {
      objectPermissions: { Device__c: { read: true, create: false, edit: false, delete: false } },
    });
    const refused = await refusal(() => conn.sobject('Device__c').create({ Name: 'not allowed' }));
    assert.equal(refused.errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
    assert.ok((await conn.query('SELECT COUNT() FROM Device__c')).totalSize > 0);
  });
});
