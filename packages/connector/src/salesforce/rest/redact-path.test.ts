// Audit paths keep the query's shape but no literal values, and never a token; usage headers are parsed.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseLimitInfo } from './limit-info.js';
import { redactPath } from './redact-path.js';

void test('SOQL string literals (escaped quotes included) become ?; datetimes and numbers stay', () => {
  const q =
    "SELECT Id FROM Contact WHERE Email = 'o\\'brien@x.com' AND Name LIKE '%a\\%b%' AND SystemModstamp >= 2024-01-01T00:00:00Z LIMIT 20";
  assert.equal(
    redactPath(`https://acme.my.salesforce.com/services/data/v62.0/query?q=${encodeURIComponent(q)}`),
    "/services/data/v62.0/query?q=SELECT Id FROM Contact WHERE Email = '?' AND Name LIKE '?' AND SystemModstamp >= 2024-01-01T00:00:00Z LIMIT 20",
  );
});

void test('oauth_token and other secret-named parameters are replaced', () => {
  const path = redactPath(
    'https://login.salesforce.com/id/00D/005?format=json&oauth_token=00D5g00000AbCdE%21AQEAQsecret',
  );
  assert.equal(path, '/id/00D/005?format=json&oauth_token=[REDACTED]');
  assert.ok(!path.includes('AQEAQsecret'));
});

void test('Sforce-Limit-Info: api-usage is read from either form', () => {
  assert.deepEqual(parseLimitInfo('api-usage=18/5000'), { used: 18, max: 5000 });
  assert.deepEqual(parseLimitInfo('api-usage=10018/100000; api-bursts=1/750'), { used: 10018, max: 100000 });
  assert.equal(parseLimitInfo('per-app-api-usage=17/250(appName=x)'), null);
  assert.equal(parseLimitInfo(undefined), null);
});
