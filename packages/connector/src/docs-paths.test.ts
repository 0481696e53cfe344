// The docs are read on other machines: no page names a path of the machine it was written on (the emulator README
// once told readers to `cd /work/main`), only paths relative to the clone, `~`, or placeholders.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';

const ROOT = new URL('../../../', import.meta.url);
const MACHINE_PATH = /(?<![\w.$-])\/(?:work|home|Users|root)\/[\w.-]+/;

void test('README files and docs/ name no absolute path of one machine', () => {
  const pages = [
    'README.md',
    'ARCHITECTURE.md',
    'packages/emulator/README.md',
    ...readdirSync(new URL('docs/', ROOT))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  for (const page of pages) {
    const text = readFileSync(new URL(page, ROOT), 'utf8');
    const found = MACHINE_PATH.exec(text);
    assert.equal(found, null, `${page} names ${found?.[0] ?? ''}`);
  }
  assert.match('cd /work/main && node', MACHINE_PATH, 'the pattern finds what it is for');
});
