// docs/configuration.md lists exactly the variables the schema reads, so the page cannot drift.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { loadConfig } from './load-config.js';
import { ENV_SCHEMA } from './schema.js';

test('docs/configuration.md documents exactly the schema keys', () => {
  const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
  const section = doc.split('## Environment')[1]?.split('\n## ')[0] ?? '';
  const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, Object.keys(ENV_SCHEMA.shape).sort());
});

test('every bad variable is reported at once', () => {
  assert.throws(
    () =>
      loadConfig({
        CASEBRIDGE_HTTP_PORT: 'eighty',
        CASEBRIDGE_LOG_LEVEL: 'loud',
        CASEBRIDGE_DATABASE_URL: 'nope',
      }),
    (err) => {
      assert.ok(isAppError(err, 'CONFIG_INVALID'));
      for (const name of ['CASEBRIDGE_HTTP_PORT', 'CASEBRIDGE_LOG_LEVEL', 'CASEBRIDGE_DATABASE_URL']) {
        assert.match(err.message, new RegExp(name));
      }
      return true;
    },
  );
});

test('a database URL selects PostgreSQL; without one the embedded store is used', () => {
  assert.equal(loadConfig({}).store.kind, 'pglite');
  const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' });
  assert.deepEqual(config.store, { kind: 'postgres', url: 'postgres://u@127.0.0.1/db' });
  assert.ok(Object.isFrozen(config.http));
});

test('docs/configuration.md names each port by the server the service runs on it', () => {
  const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
  const row = (variable: string): string =>
    doc.split('\n').find((line) => line.startsWith(`| \`${variable}\` |`)) ?? '';
  // the names CONFIG_PORT_IN_USE uses for the listeners (cli/service.ts)
  assert.match(row('CASEBRIDGE_HTTP_PORT'), /status API \(`\/health`, `\/v1\/status`\)/);
  assert.match(row('CASEBRIDGE_ADMIN_PORT'), /admin API/);
});
