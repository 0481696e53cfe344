// Human output never passes a terminal control sequence through: names from the store are shown, not obeyed.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';

import { createOutput } from './output.js';
import { printable } from './printable.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

void test('escape, bell and bidi overrides in a line are printed as visible \\u escapes', () => {
  const out = sink();
  const err = sink();
  const output = createOutput(false, out.stream, err.stream);
  output.line('tenant  acme (\u001b]0;pwned\u0007Acme\u001b[2J\u202e)');
  output.warn('name \u001b[31mred');
  assert.equal(out.text(), 'tenant  acme (\\u001b]0;pwned\\u0007Acme\\u001b[2J\\u202e)\n');
  assert.equal(err.text(), 'warning: name \\u001b[31mred\n');
  assert.equal(printable('plain\ttext'), 'plain\ttext');
});
