// The admin's checklist walks the requirements' steps for this tenant and says what to send back, and what not.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildChecklist, renderChecklistMarkdown, renderChecklistText } from './checklist.js';
import { buildSetupPackage } from './metadata-package.js';

const input = {
  contactEmail: 'it-admin@acme.example',
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n',
  loginUrl: 'https://test.salesforce.com',
  username: 'casebridge@acme.example.sandbox',
  tenantId: 'acme-sandbox',
};

void test('the steps follow the requirements: app, policies, permission set, user, assignment, then doctor', () => {
  const checklist = buildChecklist(input);
  assert.deepEqual(
    checklist.steps.map((s) => s.title),
    [
      'Keep the certificate at hand',
      'Create the Connected App Casebridge_Server',
      "Set the app's policies",
      'Create the permission set casebridge_connected_app',
      'Create the service user (if it does not exist)',
      'Assign the permission set to the service user',
      'Or deploy the same setup instead of clicking',
      'Tell your agents what reaches employees',
      'Check it',
    ],
  );
  const text = JSON.stringify(checklist);
  for (const expected of [
    'Only public Case Comments reach the employee',
    'Email replies (Email-to-Case, \\"Send Email\\") and Chatter feed posts do not reach the employee',
    'Setup > Apps > App Manager > New Connected App',
    'Use digital signatures',
    '(api)',
    '(refresh_token, offline_access)',
    'https://test.salesforce.com/',
    'Admin approved users are pre-authorized',
    'Timeout Value = 24 hours',
    'Contact: Read',
    'Knowledge__kav: Read',
    'Case: Read, Create, Edit',
    'CaseComment has no setting of its own',
    'API Enabled',
    'Assigned Connected Apps',
    'casebridge doctor acme-sandbox',
  ]) {
    assert.ok(text.includes(expected), expected);
  }
});

void test('what to hand back: consumer key, username, login URL; the secret and password are advised against', () => {
  const { handBack } = buildChecklist(input);
  assert.deepEqual(handBack.needed, [
    'Consumer Key of Casebridge_Server',
    "Service user's username: casebridge@acme.example.sandbox",
    'Login URL: https://test.salesforce.com',
  ]);
  assert.match(handBack.notNeeded, /Do not send the consumer secret or the service user's password/);
  assert.match(handBack.notNeeded, /stores them encrypted/);
});

void test('the External Client App variant points to its own manager and policy screens', () => {
  const text = JSON.stringify(buildChecklist(input, 'external-client-app'));
  assert.ok(text.includes('External Client App Manager > New External Client App'));
  assert.ok(text.includes('Select Permission Sets'));
  assert.ok(!text.includes('New Connected App'));
});

void test('renders as Markdown and as plain text with every step and the hand-back list', () => {
  const checklist = buildChecklist(input);
  const markdown = renderChecklistMarkdown(checklist);
  assert.match(markdown, /^# Salesforce setup for casebridge \(https:\/\/test\.salesforce\.com\)\n/);
  assert.match(
    markdown,
    /## 4\. Create the permission set casebridge_connected_app\n\n\*Where:\* Setup > Users > Permission Sets > New/,
  );
  assert.match(markdown, /- \*\*Hand back:\*\* The username: casebridge@acme\.example\.sandbox/);
  const text = renderChecklistText(checklist);
  assert.match(text, /^Salesforce setup for casebridge/);
  assert.match(
    text,
    /\n2\. Create the Connected App Casebridge_Server\n {3}Where: Setup > Apps > App Manager > New Connected App\n/,
  );
  assert.ok(!text.includes('`'), 'no Markdown code marks in plain text');
  assert.match(text, /What to send back:\n {3}- Consumer Key of Casebridge_Server/);
});

void test('the key step claims nothing the commands do not do: the certificate file it names is in the package', () => {
  const text = renderChecklistText(buildChecklist(input));
  // the key may have been imported; `tenants show` prints a fingerprint, not the certificate
  assert.doesNotMatch(text, /casebridge (made|generated|created) (the|this|a) key/i);
  assert.doesNotMatch(text, /tenants show/);
  const named = /setup --out DIR writes it again as DIR\/(\S+?)\.?$/m.exec(text)?.[1];
  assert.ok(named, text);
  assert.equal(buildSetupPackage(input)[named], input.certificatePem);
});
