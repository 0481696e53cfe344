// docs/errors.md must list exactly the registered codes: generated from the registry and compared here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { AppError } from './app-error.js';
import { TENANT_NOT_FOUND } from './codes/tenant.js';
import { ERROR_REGISTRY, renderErrorDocs } from './registry.js';

const docPath = new URL('../../../../docs/errors.md', import.meta.url);

test('docs/errors.md is exactly what the registry generates (run `npm run docs:errors` after adding a code)', () => {
  assert.equal(readFileSync(docPath, 'utf8'), renderErrorDocs());
});

test('every code in docs/errors.md exists in the registry and every registered code is documented', () => {
  const doc = readFileSync(docPath, 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
  // UNEXPECTED is what the CLI prints for an error not raised on purpose: documented, never registered
  assert.deepEqual([...documented].sort(), [...ERROR_REGISTRY.keys(), 'UNEXPECTED'].sort());
});

test('every definition has a message and a fix in words', () => {
  for (const definition of ERROR_REGISTRY.values()) {
    assert.ok(definition.message.length > 10, definition.code);
    assert.ok(definition.fix.length > 10, definition.code);
  }
});

test('an AppError fills its message and fix from params and serialises to the one error shape', () => {
  const err = new AppError(TENANT_NOT_FOUND, { params: { tenant: 'acme' } });
  assert.equal(err.message, 'No tenant "acme" exists.');
  assert.deepEqual(err.toJSON().error.code, 'TENANT_NOT_FOUND');
  assert.equal(err.httpStatus, 404);
});
