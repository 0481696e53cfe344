#!/usr/bin/env node
// Runs one test tier with Node's own test runner through tsx. Node 20 does not expand globs in --test,
// so the files are found here. Tiers are file-name conventions (see CONTRIBUTING in README.md):
//   unit: packages/*/src/**/*.test.ts      (beside the code, no network beyond in-process servers)
//   int:  packages/*/test/**/*.int.test.ts (real emulator over HTTP, real clients: sf, jsforce)
//   pg:   the store suites again, against PostgreSQL (CASEBRIDGE_TEST_DATABASE_URL)
//   browser: packages/*/test/browser/*.browser.test.ts (Debian's chromium via playwright-core; tools/browser-test)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tier = process.argv[2] ?? 'unit';
const root = new URL('..', import.meta.url).pathname;

function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const all = walk(join(root, 'packages'));
const pick = {
  unit: (f) => /\/src\/.*\.test\.ts$/.test(f) && !f.endsWith('.int.test.ts'),
  int: (f) => /\/test\/.*\.int\.test\.ts$/.test(f),
  // *.store.int.test.ts: store suites that also drive the emulator over HTTP (both tiers run them)
  pg: (f) => /\.store\.test\.ts$/.test(f) || /\.pg\.test\.ts$/.test(f) || /\.store\.int\.test\.ts$/.test(f),
  browser: (f) => /\/test\/browser\/[^/]*\.browser\.test\.ts$/.test(f),
}[tier];
if (!pick) {
  console.error(`unknown tier ${tier}; use unit, int, pg or browser`);
  process.exit(2);
}
// The pg tier runs a store suite's PostgreSQL variants only (below); a store suite that has none (it never asks for
// the database: embedded.store.test.ts) ran whole in the unit tier already.
const usesPostgres = (f) =>
  f.endsWith('.pg.test.ts') ||
  /\b(storeBackends|contractSubjects|testDatabaseUrl)\b|CASEBRIDGE_TEST_DATABASE_URL/.test(
    readFileSync(f, 'utf8'),
  );
const files = all.filter((f) => pick(f) && (tier !== 'pg' || usesPostgres(f))).sort();
if (files.length === 0) {
  console.error(`no ${tier} test files found`);
  process.exit(1);
}
const env = { ...process.env, NODE_ENV: 'test' };
// Each store suite runs once on each backend: on PGlite (and the memory fakes) in the unit and integration tiers,
// on PostgreSQL in the pg tier (test/helpers/store-test-kit.ts). .ci/run exports the database URL for the whole run,
// which made the unit and integration tiers run the PostgreSQL variants too, and the pg tier the PGlite ones again.
if (tier === 'pg') {
  env.CASEBRIDGE_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  env.CASEBRIDGE_TEST_STORE_BACKENDS = 'postgres';
} else {
  delete env.CASEBRIDGE_TEST_DATABASE_URL;
}
const timeout = tier === 'unit' ? '120000' : '300000';

// Node 20's default is one file at a time on a 2-core machine (cores - 1). Most files wait on in-process servers,
// child processes, the emulator or the database part of the time, so two at once keep both cores busy. The unit tier
// uses more than one core even one file at a time (443 s of CPU in about 300 s), so more files at once would only
// share the same two cores (docs/testing.md). Every file uses its own ports (0), data directory and schema;
// busy-ports.int.test.ts holds the default ports, which no other test uses, and treats a port someone else holds
// as just as busy. The browser tier runs one chromium at a time: .ci/run runs it beside the PostgreSQL tier, and
// two chromiums under load missed playwright's 15 s action timeout. CASEBRIDGE_TEST_CONCURRENCY overrides it.
// The pg tier runs three files at once: its files mostly wait on the PostgreSQL server and on worker processes.
const concurrency = process.env.CASEBRIDGE_TEST_CONCURRENCY ?? { browser: '1', pg: '3' }[tier] ?? '2';

// Every in-memory PGlite store starts from one freshly initialised database made here, instead of running initdb
// in each (about 2.5 s of CPU each; hundreds of stores per run). See test/helpers/pglite-template.ts. A template
// named by CASEBRIDGE_TEST_PGLITE_TEMPLATE already (.ci/run makes one for every tier) is used as it is.
let scratch;
if (!env.CASEBRIDGE_TEST_PGLITE_TEMPLATE) {
  scratch = mkdtempSync(join(tmpdir(), 'casebridge-tests-'));
  env.CASEBRIDGE_TEST_PGLITE_TEMPLATE = join(scratch, 'pglite-template.tar');
  const made = spawnSync(
    process.execPath,
    [join(root, 'scripts/pglite-template.mjs'), env.CASEBRIDGE_TEST_PGLITE_TEMPLATE],
    { stdio: 'inherit', cwd: root },
  );
  if (made.status !== 0) {
    console.error('could not make the PGlite template (scripts/pglite-template.mjs)');
    process.exit(1);
  }
}

// The integration tests start `casebridge` a few hundred times; each starts from one bundle of the sources made here
// (scripts/cli-bundle.mjs: `casebridge --help` 0.6 s of CPU against 2.6 s through tsx) unless CASEBRIDGE_TEST_CLI names one already.
// Only a tier with a file that starts the CLI (through test/helpers/cli-process.ts) makes one: the bundle is a few
// seconds of esbuild, and no file of the PostgreSQL tier starts the CLI today.
const startsTheCli = (f) => /\/helpers\/cli-process\.js'/.test(readFileSync(f, 'utf8'));
let bundleDir;
if ((tier === 'int' || tier === 'pg') && !env.CASEBRIDGE_TEST_CLI && files.some(startsTheCli)) {
  // inside the repository, so the bundle's npm imports resolve from node_modules; ignored by git
  bundleDir = mkdtempSync(join(root, 'packages/connector/.test-cli-'));
  env.CASEBRIDGE_TEST_CLI = join(bundleDir, 'casebridge.mjs');
  const built = spawnSync(process.execPath, [join(root, 'scripts/cli-bundle.mjs'), env.CASEBRIDGE_TEST_CLI], {
    stdio: 'inherit',
    cwd: root,
  });
  if (built.status !== 0) {
    console.error('could not bundle the CLI for the tests (scripts/cli-bundle.mjs)');
    process.exit(1);
  }
}

const args = [
  '--import',
  'tsx',
  '--import',
  join(root, 'packages/connector/test/helpers/pglite-template.ts'),
  // CASEBRIDGE_TEST_CPU_LOG=FILE: each test file's wall and CPU time, one JSON line each (scripts/test-cpu-log.mjs)
  ...(env.CASEBRIDGE_TEST_CPU_LOG ? ['--import', join(root, 'scripts/test-cpu-log.mjs')] : []),
  '--test',
  `--test-timeout=${timeout}`,
  `--test-concurrency=${concurrency}`,
];
const started = Date.now();
const result = spawnSync(process.execPath, [...args, ...files], { stdio: 'inherit', env, cwd: root });
// The tier's whole CPU time (every process it started, waited for), beside its wall time: on the shared 2-core
// machine the CPU time is the figure to compare between runs (docs/testing.md).
try {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const [cutime, cstime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(13, 15)
    .map(Number);
  const wall = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `${tier} tier: ${files.length} files in ${wall} s, ${((cutime + cstime) / 100).toFixed(0)} s of CPU`,
  );
} catch {
  // not Linux: no CPU figure
}
if (scratch) rmSync(scratch, { recursive: true, force: true });
if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
