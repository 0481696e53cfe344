// Atomic secret files survive a power cut: the temp file's data is synced before the rename and the directory entry
// after it, so the key file is the old one or the new one on disk, never a name pointing at unsynced data.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

import { fileMode, writeFileAtomic } from './private-files.js';

/** Records opens, fsyncs and renames (by path) while `fn` runs; the real calls still happen. */
function traceFs(t: TestContext, fn: () => void): string[] {
  const events: string[] = [];
  const paths = new Map<number, string>();
  const { openSync, fsyncSync, renameSync } = fs;
  t.mock.method(fs, 'openSync', (...args: Parameters<typeof openSync>) => {
    const fd = openSync(...args);
    paths.set(fd, String(args[0]));
    return fd;
  });
  t.mock.method(fs, 'fsyncSync', (fd: number) => {
    events.push(`fsync ${paths.get(fd) ?? `fd ${fd}`}`);
    fsyncSync(fd);
  });
  t.mock.method(fs, 'renameSync', (from: fs.PathLike, to: fs.PathLike) => {
    events.push(`rename ${String(from)} -> ${String(to)}`);
    renameSync(from, to);
  });
  // named imports of a builtin (import { fsyncSync } from 'node:fs') see the mocks only after this
  syncBuiltinESMExports();
  try {
    fn();
  } finally {
    t.mock.restoreAll();
    syncBuiltinESMExports();
  }
  return events;
}

void test('writeFileAtomic fsyncs the temp file before the rename and the directory after it', (t) => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'cb-atomic-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'master.key');
  fs.writeFileSync(path, 'old\n', { mode: 0o600 });

  const events = traceFs(t, () => writeFileAtomic(path, 'new\n', 0o600));

  const rename = events.findIndex((e) => e.startsWith('rename '));
  assert.ok(rename > 0, `renamed: ${events.join(' | ')}`);
  const temp = events[rename]!.slice('rename '.length).split(' -> ')[0]!;
  assert.ok(
    events.slice(0, rename).includes(`fsync ${temp}`),
    `temp file synced first: ${events.join(' | ')}`,
  );
  assert.ok(
    events.slice(rename + 1).includes(`fsync ${dir}`),
    `directory synced after: ${events.join(' | ')}`,
  );
  assert.equal(fs.readFileSync(path, 'utf8'), 'new\n');
  assert.equal(fileMode(path), 0o600);
  assert.deepEqual(fs.readdirSync(dir), ['master.key'], 'no temp file left behind');
});
