// docs/bot-api-reference.md is what the OpenAPI document renders to: an operation, a field or a limit changed in the
// schemas changes the page, or this test fails until `npm run docs:bot-api` is run.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { BOT_OPERATIONS } from './contracts.js';
import { renderBotApiReference } from './reference.js';

const page = new URL('../../../../../docs/bot-api-reference.md', import.meta.url);

test('docs/bot-api-reference.md is exactly what the schemas render (run `npm run docs:bot-api` after a change)', () => {
  assert.equal(readFileSync(page, 'utf8'), renderBotApiReference());
});

test('the reference has every operation, with the limits its schemas validate', () => {
  const rendered = renderBotApiReference();
  for (const op of BOT_OPERATIONS)
    assert.ok(
      rendered.includes(`## \`${op.method} ${op.path.replace(/:([A-Za-z]+)/g, '{$1}')}\``),
      `${op.method} ${op.path}`,
    );
  // the filing body's limits, as FileTicketBody validates them
  assert.match(rendered, /\| `subject` \| string \| yes \| 1 to 255 characters \|/);
  assert.match(rendered, /\| `description` \| string \| yes \| 1 to 31000 characters \|/);
  assert.match(rendered, /\| `Idempotency-Key` \| header \| string \| yes \|/);
});
