// keygen inside a git work tree: the key folder gets a .gitignore naming the key, so `git add .` cannot commit it;
// at the work tree's root (whose .gitignore is the user's) it says which line to add instead.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { ignoreKeyInGit } from './git-ignore-key.js';

void test('a key folder inside a work tree gets a .gitignore; the root gets a suggestion; outside, nothing', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'casebridge-git-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const repo = join(root, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'keys'));
  const inFolder = ignoreKeyInGit(join(repo, 'keys', 'salesforce.key'));
  assert.equal(inFolder?.wrote, join(repo, 'keys', '.gitignore'));
  assert.match(readFileSync(join(repo, 'keys', '.gitignore'), 'utf8'), /^salesforce\.key$/m);
  assert.equal(ignoreKeyInGit(join(repo, 'keys', 'salesforce.key'))?.wrote, null, 'written once');

  const atRoot = ignoreKeyInGit(join(repo, 'salesforce.key'));
  assert.equal(atRoot?.wrote, null);
  assert.equal(atRoot?.line, '/salesforce.key');

  const outside = join(root, 'elsewhere');
  mkdirSync(outside);
  writeFileSync(join(outside, 'x'), '');
  assert.equal(ignoreKeyInGit(join(outside, 'salesforce.key')), null);
});
