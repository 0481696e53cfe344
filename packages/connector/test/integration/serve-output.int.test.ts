// `casebridge serve` writes machine logs or one JSON document, never a mix with human lines: in human mode stdout
// holds only pino JSON lines (the 'service started' one naming both URLs and the store) and stderr nothing; with
// --json stdout is the one start document and every log line goes to stderr as JSON.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { cliEnv, parseJson, startCasebridge, startServe } from '../helpers/cli-process.js';

let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-serve-output-'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Every non-empty line of `text` as a pino log entry; fails on any line that is not one. */
function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const entry = parseJson<Record<string, unknown>>(line);
      assert.equal(typeof entry['level'], 'number', line);
      assert.equal(typeof entry['msg'], 'string', line);
      return entry;
    });
}

void test('human mode: stdout carries only JSON log lines, stderr nothing', async () => {
  const data = join(tmp, 'human');
  const serve = await startCasebridge(['serve'], cliEnv(data), /"msg":"service started"/, 180_000);
  await serve.stop();
  const entries = logLines(serve.stdout());
  const started = entries.find((e) => e['msg'] === 'service started');
  assert.match(String(started?.['adminUrl']), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(String(started?.['statusUrl']), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(started?.['store'], data);
  assert.ok(entries.some((e) => e['msg'] === 'service stopped'));
  assert.equal(serve.stderr(), '', 'no human line beside the logs');
});

void test('--json: stdout is the one start document, the logs are JSON lines on stderr', async () => {
  const data = join(tmp, 'json');
  const serve = await startServe(cliEnv(data, { CASEBRIDGE_LOG_LEVEL: 'info' }));
  await serve.stop();
  const doc = parseJson<{ store: string; adminUrl: string; statusUrl: string }>(serve.stdout());
  assert.equal(doc.store, data);
  assert.equal(doc.adminUrl, serve.adminUrl);
  const entries = logLines(serve.stderr());
  assert.ok(entries.some((e) => e['msg'] === 'service started'));
});
