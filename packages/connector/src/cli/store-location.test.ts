// The store rule with the file system injected: CASEBRIDGE_DATA_DIR wins, else the nearest .casebridge/ from the
// current folder up, else the per-user default ($XDG_DATA_HOME/casebridge, else ~/.local/share/casebridge).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadConfig } from '../config/load-config.js';
import { describeStore, locateDemoStore, locateStore, type StoreProbe } from './store-location.js';

const probe = (cwd: string, dirs: string[]): StoreProbe => ({
  cwd,
  isDirectory: (path) => dirs.includes(path),
});

void test('the nearest ancestor holding .casebridge/ is the store, before the per-user default', () => {
  const config = loadConfig({}, '/home/ana');
  const deep = probe('/work/app/src/cli', ['/work/.casebridge', '/work/app/.casebridge']);
  assert.deepEqual(locateStore(config, deep), {
    path: '/work/app/.casebridge',
    source: 'nearest .casebridge',
  });
  assert.deepEqual(
    locateStore(config, probe('/work/app', ['/work/app/.casebridge'])).path,
    '/work/app/.casebridge',
  );
  assert.deepEqual(locateStore(config, probe('/', [])), {
    path: '/home/ana/.local/share/casebridge',
    source: 'per-user default',
  });
});

void test('CASEBRIDGE_DATA_DIR wins over any .casebridge/ folder', () => {
  const config = loadConfig({ CASEBRIDGE_DATA_DIR: '/srv/cb' }, '/home/ana');
  assert.deepEqual(locateStore(config, probe('/work/app', ['/work/app/.casebridge'])), {
    path: '/srv/cb',
    source: 'CASEBRIDGE_DATA_DIR',
  });
});

void test('the per-user default follows an absolute XDG_DATA_HOME and ignores a relative one', () => {
  assert.equal(loadConfig({ XDG_DATA_HOME: '/data/ana' }, '/home/ana').dataDir, '/data/ana/casebridge');
  assert.equal(
    loadConfig({ XDG_DATA_HOME: 'rel' }, '/home/ana').dataDir,
    '/home/ana/.local/share/casebridge',
  );
  assert.equal(loadConfig({}, '/home/ana').dataDirExplicit, false);
});

void test('the demo creates .casebridge/ in its folder instead of using the per-user default', () => {
  const config = loadConfig({}, '/home/ana');
  const here = probe('/clone', []);
  assert.deepEqual(locateDemoStore(locateStore(config, here), here), {
    path: '/clone/.casebridge',
    source: 'new .casebridge here',
  });
  const found = probe('/clone/sub', ['/clone/.casebridge']);
  assert.equal(locateDemoStore(locateStore(config, found), found).path, '/clone/.casebridge');
  assert.match(
    describeStore(locateStore(config, found), { pid: 42 }),
    /^store: \/clone\/\.casebridge \(.*pid 42\)$/,
  );
});
