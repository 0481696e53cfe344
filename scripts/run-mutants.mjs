#!/usr/bin/env node
// Mutation checks: each mutants/NAME.patch is a break a user would feel, kept with the tests that must catch it.
// A patch starts with `# tests: <files relative to the repository root>` and `# why: <the break>`, then a unified
// diff (`git apply` skips the leading lines). For each patch, in a scratch copy of the working tree (never the tree
// you are in): apply it, run its tests, revert it. Fails unless every mutant turns at least one test red.
//   node scripts/run-mutants.mjs [name-filter]      (npm run test:mutants)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const filter = process.argv[2] ?? '';
/** per mutant: a hang counts as caught (the tests did not pass) but is reported as such */
const TIMEOUT_MS = 150_000;

function parse(file) {
  const text = readFileSync(join(root, 'mutants', file), 'utf8');
  const header = (name) => text.match(new RegExp(`^# ${name}:[ \\t]*(.*)$`, 'm'))?.[1]?.trim() ?? '';
  const tests = header('tests').split(/\s+/).filter(Boolean);
  return { name: file.replace(/\.patch$/, ''), file: join(root, 'mutants', file), tests, why: header('why') };
}

function git(args, cwd) {
  return spawnSync('git', args, { cwd, encoding: 'utf8' });
}

/** A copy of the tracked and untracked (not ignored) files, with node_modules linked, not copied. */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'casebridge-mutants-'));
  const listed = git(['ls-files', '-co', '--exclude-standard', '-z'], root);
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      cpSync(join(root, file), target);
    } catch {
      // listed but deleted in the working tree: nothing to copy
    }
  }
  for (const modules of [
    'node_modules',
    'packages/connector/node_modules',
    'packages/emulator/node_modules',
  ]) {
    try {
      readdirSync(join(root, modules));
      symlinkSync(join(root, modules), join(dir, modules));
    } catch {
      // that package has no node_modules of its own
    }
  }
  return dir;
}

const mutants = readdirSync(join(root, 'mutants'))
  .filter((f) => f.endsWith('.patch') && f.includes(filter))
  .sort()
  .map(parse);
if (mutants.length === 0) {
  console.error('no mutants found in mutants/');
  process.exit(1);
}

/**
 * Runs a mutant's tests without blocking the other worker. The TAP stream is read as it comes: the first failing test
 * (not a TODO) already proves the mutant caught, so the run (its whole process group: the test runner and its file
 * children) is killed there instead of running the remaining tests. A run past TIMEOUT_MS is killed too.
 */
function runAsync(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let timedOut = false;
    /** the first failing test's title, once one failed */
    let red = '';
    const killGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, TIMEOUT_MS);
    let pending = '';
    child.stdout.on('data', (chunk) => {
      if (red) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const first = lines.find((line) => /^\s*not ok \d+ /.test(line) && !/# TODO\b/.test(line));
      if (first !== undefined) {
        red = first.replace(/^\s*not ok \d+ - /, '');
        killGroup();
      }
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: red ? 1 : status, timedOut: timedOut && !red, red });
    });
  });
}

/** Whether a test file starts `casebridge` processes: every such test does it through the cli-process helper. */
function startsTheCli(testFile) {
  try {
    return /\/helpers\/cli-process\.js'/.test(readFileSync(testFile, 'utf8'));
  } catch {
    return false;
  }
}

async function check(mutant, scratch) {
  if (mutant.tests.length === 0) return { outcome: 'NO TESTS' };
  if (git(['apply', '--check', mutant.file], scratch).status !== 0) return { outcome: 'DOES NOT APPLY' };
  git(['apply', mutant.file], scratch);
  const env = mutantEnv();
  // Tests that start `casebridge` (through test/helpers/cli-process.ts) start a bundle of the PATCHED sources
  // (scripts/cli-bundle.mjs), made after the patch is applied; the other mutants skip the bundle (a few seconds of
  // esbuild each). A patch esbuild cannot bundle runs the real bin/casebridge.js instead.
  if (mutant.tests.some((t) => startsTheCli(join(scratch, t)))) {
    const bundle = join(scratch, 'packages/connector/.test-cli-mutant/casebridge.mjs');
    const built = spawnSync(process.execPath, [join(scratch, 'scripts/cli-bundle.mjs'), bundle], {
      cwd: scratch,
      stdio: 'ignore',
    });
    if (built.status === 0) env.CASEBRIDGE_TEST_CLI = bundle;
  }
  const run = await runAsync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(scratch, 'packages/connector/test/helpers/pglite-template.ts'),
      '--test',
      '--test-reporter=tap',
      '--test-timeout=60000',
      ...mutant.tests,
    ],
    { cwd: scratch, env },
  );
  const reverted = git(['apply', '-R', mutant.file], scratch);
  if (reverted.status !== 0) throw new Error(`could not revert ${mutant.name}: ${reverted.stderr}`);
  if (run.timedOut) return { outcome: 'caught (timeout)' };
  if (run.status === 0) return { outcome: 'SURVIVED' };
  return { outcome: 'caught', by: run.red || '(the run failed)' };
}

// Two workers, each with its own scratch copy, take the next mutant from one queue: the tests a mutant runs
// mostly wait on the emulator and child processes, so two at once nearly halve the run on two cores.
// CASEBRIDGE_MUTANT_WORKERS overrides it.
/** The tests' environment: never the caller's CLI bundle (scripts/cli-bundle.mjs), which holds unpatched code. */
function mutantEnv() {
  const env = { ...process.env, NODE_ENV: 'test', CASEBRIDGE_TEST_PGLITE_TEMPLATE: template };
  delete env.CASEBRIDGE_TEST_CLI;
  return env;
}

const workers = Math.max(1, Number(process.env.CASEBRIDGE_MUTANT_WORKERS ?? 2));

// In-memory PGlite stores start from one freshly initialised database, as in scripts/run-tests.mjs.
let template = process.env.CASEBRIDGE_TEST_PGLITE_TEMPLATE ?? '';
let templateDir;
if (template === '') {
  templateDir = mkdtempSync(join(tmpdir(), 'casebridge-mutants-template-'));
  template = join(templateDir, 'pglite-template.tar');
  const made = spawnSync(process.execPath, [join(root, 'scripts/pglite-template.mjs'), template], {
    stdio: 'inherit',
  });
  if (made.status !== 0) {
    console.error('could not make the PGlite template (scripts/pglite-template.mjs)');
    process.exit(1);
  }
}
const queue = [...mutants];
const results = [];
const scratches = [];
try {
  await Promise.all(
    Array.from({ length: Math.min(workers, mutants.length) }, async () => {
      const scratch = scratchCopy();
      scratches.push(scratch);
      for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
        const started = Date.now();
        const { outcome, by } = await check(mutant, scratch);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        results.push({ ...mutant, outcome, seconds });
        console.log(
          `${outcome.padEnd(16)} ${seconds.padStart(6)} s  ${mutant.name}${by ? `  (red: ${by})` : ''}`,
        );
      }
    }),
  );
} finally {
  for (const scratch of scratches) rmSync(scratch, { recursive: true, force: true });
  if (templateDir) rmSync(templateDir, { recursive: true, force: true });
}
results.sort((a, b) => a.name.localeCompare(b.name));

const width = Math.max(...results.map((r) => r.name.length), 6);
console.log(`\n${'mutant'.padEnd(width)}  ${'result'.padEnd(16)}  ${'time'.padStart(8)}  why`);
for (const r of results)
  console.log(`${r.name.padEnd(width)}  ${r.outcome.padEnd(16)}  ${`${r.seconds} s`.padStart(8)}  ${r.why}`);
const bad = results.filter((r) => !r.outcome.startsWith('caught'));
console.log(`\n${results.length - bad.length} of ${results.length} mutants caught`);
process.exit(bad.length === 0 ? 0 : 1);
