// What reaches the log never contains a secret, whether it sits under a known key or inside free text.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';

import { createLogger } from './logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const TOKEN = '00D5g00000AbCdE!AQEAQFakeAccessToken.74709cXYZ';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

test('known secret keys are redacted and secret-looking values are scrubbed from messages and nested data', () => {
  const out = capture();
  const log = createLogger({ destination: out.stream, level: 'debug' });
  log.info({ accessToken: TOKEN, tenant: { privateKey: KEY } }, 'login');
  log.warn(
    {
      err: new Error(`upstream said Bearer ${TOKEN}`),
      url: `/id/x?oauth_token=${encodeURIComponent(TOKEN)}`,
    },
    `failed with ${TOKEN}`,
  );
  log
    .child({ assertion: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl' })
    .error({ detail: KEY }, 'signing');
  const text = out.text();
  // every line is written, at its level, with the data kept beside the scrubbed values
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string } });
  assert.deepEqual(
    lines.map((line) => [line.level, line.msg.split(' ')[0]]),
    [
      [30, 'login'],
      [40, 'failed'],
      [50, 'signing'],
    ],
  );
  assert.match(lines[1]?.msg ?? '', /^failed with \S+/);
  assert.match(lines[1]?.err?.message ?? '', /^upstream said Bearer /);
  for (const secret of [
    TOKEN,
    encodeURIComponent(TOKEN),
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    'eyJpc3MiOiJ4In0',
  ]) {
    assert.ok(!text.includes(secret), `leaked ${secret}`);
  }
});

test("a database error's statement parameters and quoted values never reach the log", async () => {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  const out = capture();
  const log = createLogger({ destination: out.stream, level: 'debug' });
  try {
    await db.query('CREATE TABLE t (n int, s text UNIQUE)');
    await db.query('INSERT INTO t VALUES (1, $1)', ['taken-value-9']);
    for (const [sql, params] of [
      ['INSERT INTO t VALUES ($1::int, $2)', ['param-secret-1', 'x']],
      ['INSERT INTO t VALUES (2, $1)', ['taken-value-9']],
      ['SELECT * FROM t WHERE s = $1', ['nul\u0000param-secret-2']],
    ] as const) {
      const err = await db.query(sql, [...params]).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof Error, sql);
      log.error({ err }, 'unexpected error');
    }
  } finally {
    await db.close();
  }
  const text = out.text();
  assert.equal(text.split('\n').filter(Boolean).length, 3);
  for (const value of ['param-secret-1', 'param-secret-2', 'taken-value-9'])
    assert.ok(!text.includes(value), `${value} was logged: ${text}`);
  assert.match(text, /22P02|23505|22021/, 'the SQLSTATE is kept for diagnosis');
});
