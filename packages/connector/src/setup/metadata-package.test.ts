// The setup package's XML is well-formed and says what the access requirements ask for, in both variants.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { all, parseXml, textOf, type XmlNode } from '../../test/helpers/xml-tree.js';
import { isAppError } from '../errors/app-error.js';
import { buildSetupPackage } from './metadata-package.js';

const CERT =
  '-----BEGIN CERTIFICATE-----\nMIIC9TCCAd2gAwIBAgIQXtxMpQG8S3BYA28wCpKEUDANBgkqhkiG9w0BAQsFADAM\n-----END CERTIFICATE-----\n';
const input = {
  contactEmail: 'it-admin@acme.example',
  certificatePem: CERT,
  loginUrl: 'https://acme.my.salesforce.com/',
  username: 'casebridge@acme.example',
};
const SRC = 'force-app/main/default';

function xml(files: Record<string, string>, path: string): XmlNode {
  const content = files[path];
  assert.ok(content, `missing ${path}`);
  const root = parseXml(content);
  assert.equal(root.attributes['xmlns'], 'http://soap.sforce.com/2006/04/metadata');
  return root;
}

function objectRights(ps: XmlNode): Record<string, string> {
  return Object.fromEntries(
    all(ps, 'objectPermissions').map((p) => [
      textOf(p, 'object'),
      ['allowRead', 'allowCreate', 'allowEdit', 'allowDelete', 'modifyAllRecords', 'viewAllRecords']
        .filter((name) => textOf(p, name) === 'true')
        .join(','),
    ]),
  );
}

void test('the tiny XML reader rejects what is not well-formed', () => {
  for (const bad of ['<a><b></a></b>', '<a>x < y</a>', '<a>AT&T</a>', '<a></a><b></b>', '<a>', 'text']) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
  assert.equal(textOf(parseXml('<a><b>1 &amp; 2</b></a>'), 'b'), '1 & 2');
});

void test('Connected App variant: certificate, scopes, admin-approved, 24-hour session, permission set assigned', () => {
  const files = buildSetupPackage(input);
  assert.deepEqual(Object.keys(files).sort(), [
    'README.md',
    'certificate.crt',
    `${SRC}/connectedApps/Casebridge_Server.connectedApp-meta.xml`,
    `${SRC}/permissionsets/casebridge_connected_app.permissionset-meta.xml`,
    'sfdx-project.json',
  ]);
  assert.equal(files['certificate.crt'], CERT);
  const app = xml(files, `${SRC}/connectedApps/Casebridge_Server.connectedApp-meta.xml`);
  assert.equal(app.name, 'ConnectedApp');
  assert.equal(textOf(app, 'label'), 'Casebridge_Server');
  assert.equal(textOf(app, 'contactEmail'), 'it-admin@acme.example');
  const oauth = all(app, 'oauthConfig')[0];
  assert.ok(oauth);
  assert.equal(textOf(oauth, 'certificate'), CERT);
  assert.equal(textOf(oauth, 'callbackUrl'), 'https://acme.my.salesforce.com/');
  assert.equal(textOf(oauth, 'isAdminApproved'), 'true');
  assert.deepEqual(
    all(oauth, 'scopes').map((s) => s.text),
    ['Api', 'RefreshToken'],
  );
  const policy = all(app, 'oauthPolicy')[0];
  assert.ok(policy);
  assert.deepEqual(
    [textOf(policy, 'ipRelaxation'), textOf(policy, 'refreshTokenPolicy')],
    ['ENFORCE', 'infinite'],
  );
  assert.equal(textOf(app, 'permissionSetName'), 'casebridge_connected_app');
  const session = all(app, 'sessionPolicy')[0];
  assert.ok(session);
  assert.equal(textOf(session, 'sessionTimeout'), '1440');
  assert.deepEqual(
    app.children.map((c) => c.name),
    [...app.children.map((c) => c.name)].sort(),
    'schema (alphabetical) order',
  );
  assert.deepEqual(JSON.parse(files['sfdx-project.json'] ?? ''), {
    packageDirectories: [{ path: 'force-app', default: true }],
    name: 'casebridge-casebridge_server',
    namespace: '',
    sourceApiVersion: '66.0',
  });
});

void test("permission set: the requirements' object access (CaseComment through Case), API Enabled, nothing more", () => {
  const ps = xml(
    buildSetupPackage(input),
    `${SRC}/permissionsets/casebridge_connected_app.permissionset-meta.xml`,
  );
  assert.equal(ps.name, 'PermissionSet');
  assert.equal(textOf(ps, 'label'), 'casebridge_connected_app');
  assert.deepEqual(objectRights(ps), {
    Account: 'allowRead',
    Case: 'allowRead,allowCreate,allowEdit',
    Contact: 'allowRead',
    Knowledge__kav: 'allowRead',
  });
  assert.deepEqual(
    all(ps, 'userPermissions').map((p) => `${textOf(p, 'name')}=${textOf(p, 'enabled')}`),
    ['ApiEnabled=true'],
  );
  const withoutKnowledge = xml(
    buildSetupPackage({ ...input, knowledge: false }),
    `${SRC}/permissionsets/casebridge_connected_app.permissionset-meta.xml`,
  );
  assert.equal(objectRights(withoutKnowledge)['Knowledge__kav'], undefined);
});

void test('External Client App variant: the same intent in the ECA files, tied to the app by name', () => {
  const files = buildSetupPackage(
    { ...input, appName: 'Acme_Casebridge', permissionSetName: 'acme_cb' },
    'external-client-app',
  );
  const eca = xml(files, `${SRC}/externalClientApps/Acme_Casebridge.eca-meta.xml`);
  assert.equal(eca.name, 'ExternalClientApplication');
  assert.deepEqual([textOf(eca, 'label'), textOf(eca, 'distributionState')], ['Acme_Casebridge', 'Local']);
  const global = xml(
    files,
    `${SRC}/extlClntAppGlobalOauthSets/Acme_Casebridge_glbloauth.ecaGlblOauth-meta.xml`,
  );
  assert.equal(global.name, 'ExtlClntAppGlobalOauthSettings');
  assert.equal(textOf(global, 'certificate'), CERT);
  const settings = xml(files, `${SRC}/extlClntAppOauthSettings/Acme_Casebridge_oauth.ecaOauth-meta.xml`);
  assert.equal(textOf(settings, 'commaSeparatedOauthScopes'), 'Api,RefreshToken');
  const policies = xml(
    files,
    `${SRC}/extlClntAppOauthPolicies/Acme_Casebridge_oauthPlcy.ecaOauthPlcy-meta.xml`,
  );
  assert.equal(policies.name, 'ExtlClntAppOauthConfigurablePolicies');
  assert.equal(textOf(policies, 'permittedUsersPolicyType'), 'AdminApprovedPreAuthorized');
  assert.equal(textOf(policies, 'commaSeparatedPermissionSet'), 'acme_cb');
  assert.equal(textOf(policies, 'sessionTimeoutInMinutes'), '1440');
  const plugin = xml(files, `${SRC}/extlClntAppPolicies/Acme_Casebridge_plcy.ecaPlcy-meta.xml`);
  assert.equal(textOf(plugin, 'isOauthPluginEnabled'), 'true');
  for (const root of [global, settings, policies, plugin])
    assert.equal(textOf(root, 'externalClientApplication'), 'Acme_Casebridge');
  assert.ok(files[`${SRC}/permissionsets/acme_cb.permissionset-meta.xml`]);
  assert.equal(
    Object.keys(files).some((p) => p.includes('connectedApps/')),
    false,
  );
});

void test('names and values are escaped, and bad input is TENANT_INVALID listing every problem', () => {
  const files = buildSetupPackage({ ...input, contactEmail: "o'brien&co@acme.example" });
  const app = xml(files, `${SRC}/connectedApps/Casebridge_Server.connectedApp-meta.xml`);
  assert.equal(textOf(app, 'contactEmail'), "o'brien&co@acme.example");
  assert.throws(
    () =>
      buildSetupPackage({
        ...input,
        appName: 'Bad Name',
        permissionSetName: 'x__y',
        certificatePem: 'nope',
        loginUrl: 'http://evil.example',
      }),
    (err: unknown) =>
      isAppError(err, 'TENANT_INVALID') &&
      ['appName', 'permissionSetName', 'certificatePem', 'loginUrl'].every((f) => err.message.includes(f)),
  );
});
