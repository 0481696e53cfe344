#!/usr/bin/env node
// Runs the named npm scripts at the same time, each into its own buffer, prints each one's output whole and in the
// order given once all are done, and fails when any of them failed. `npm test` runs the format check and typecheck
// beside lint with it (each is one single-threaded process; lint, the longest, takes about as long as the other two
// together, so the three fit the 2 cores); .ci/run runs the PostgreSQL tier beside the mutants.
//   node scripts/side-by-side.mjs SCRIPT...
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/side-by-side.mjs SCRIPT...');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const runs = scripts.map(
  (name) =>
    new Promise((resolve) => {
      const chunks = [];
      const started = Date.now();
      const child = spawn(npm, ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
      child.on('close', (code, signal) =>
        resolve({
          name,
          ok: code === 0,
          code: code ?? signal,
          output: Buffer.concat(chunks),
          seconds: (Date.now() - started) / 1000,
        }),
      );
    }),
);
const results = await Promise.all(runs);
for (const r of results) {
  process.stdout.write(
    `-- npm run ${r.name} (${r.seconds.toFixed(0)} s, ${r.ok ? 'ok' : `FAILED: exit ${r.code}`})\n`,
  );
  process.stdout.write(r.output);
}
const failed = results.filter((r) => !r.ok).map((r) => r.name);
if (failed.length > 0) {
  console.error(`failed: ${failed.map((n) => `npm run ${n}`).join(', ')}`);
  process.exit(1);
}
