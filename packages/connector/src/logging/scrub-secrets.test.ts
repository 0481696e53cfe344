// Webhook signing secrets found in free text (an error message, a pasted command line) never reach a log.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createWebhookSecret } from '../notify/webhook/signature.js';
import { scrubSecrets, scrubValue } from './scrub-secrets.js';

test('a whsec_ signing secret is masked in text and in nested values, the rest kept', () => {
  const secret = createWebhookSecret();
  const text = `receiver refused: bad secret ${secret}; retry later`;
  const scrubbed = scrubSecrets(text);
  assert.ok(!scrubbed.includes(secret.slice(6)), scrubbed);
  assert.equal(scrubbed, 'receiver refused: bad secret whsec_[REDACTED]; retry later');
  assert.deepEqual(scrubValue({ args: ['webhook', secret] }), { args: ['webhook', 'whsec_[REDACTED]'] });
});

test('an employee session (cbs_) is masked in text; a word that merely starts so is kept', () => {
  const session = `cbs_${'x7_Q-'.repeat(9)}`;
  assert.equal(scrubSecrets(`MCP client sent ${session} twice`), 'MCP client sent cbs_[REDACTED] twice');
  assert.equal(scrubSecrets('the cbs_ prefix'), 'the cbs_ prefix');
});

test('a bot API key keeps only its public id, an employee session nothing', () => {
  const text = 'key cbk_0a1b2c3d4e5f_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ01 session cbs_Zm9vYmFy-_x';
  assert.equal(scrubSecrets(text), 'key cbk_0a1b2c3d4e5f_[REDACTED] session cbs_[REDACTED]');
});
