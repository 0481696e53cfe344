// The start command as a user runs it: `sf-emulator --port 0 --json`, one JSON line, a working JWT login with the
// key it wrote (0600 in a 0700 directory), the same key pair after a restart, graceful exit on SIGTERM.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SignJWT, importPKCS8 } from 'jose';

const BIN = fileURLToPath(new URL('../bin/sf-emulator.js', import.meta.url));
const dirs: string[] = [];

after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface Started {
  child: ChildProcess;
  info: Record<string, string>;
}

async function start(dataDir: string, extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--json', '--data-dir', dataDir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  return { child, info: JSON.parse(first) as Record<string, string> };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

describe('sf-emulator', () => {
  it('starts on loopback, prints one JSON line, and the printed credentials log in', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sf-emulator-'));
    dirs.push(dataDir);
    const { child, info } = await start(dataDir);
    try {
      assert.match(info['loginUrl'] ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      for (const key of ['orgId', 'username', 'consumerKey', 'privateKeyPath', 'controlToken', 'controlUrl'])
        assert.ok(info[key], key);
      const keyPath = info['privateKeyPath'] ?? '';
      assert.equal((await stat(keyPath)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dataDir, 'keys'))).mode & 0o777, 0o700);

      const key = await importPKCS8(await readFile(keyPath, 'utf8'), 'RS256');
      // what sf signs: aud with a trailing slash, exp in milliseconds
      const assertion = await new SignJWT({
        iss: info['consumerKey'] ?? '',
        sub: info['username'] ?? '',
        aud: `${info['loginUrl']}/`,
        exp: Date.now() + 300,
      })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(key);
      const res = await fetch(`${info['loginUrl']}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }).toString(),
      });
      assert.equal(res.status, 200);
      const control = await fetch(`${info['controlUrl']}/health`, {
        headers: { authorization: `Bearer ${info['controlToken']}` },
      });
      assert.equal(control.status, 200);
    } finally {
      assert.equal(await stop(child), 0);
    }

    const again = await start(dataDir);
    try {
      assert.equal(again.info['consumerKey'], info['consumerKey']);
      assert.equal(again.info['privateKeyPath'], info['privateKeyPath']);
    } finally {
      assert.equal(await stop(again.child), 0);
    }
  });

  it('--https serves https:// URLs and prints the certificate to trust, the same one after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sf-emulator-'));
    dirs.push(dataDir);
    const { child, info } = await start(dataDir, ['--https']);
    try {
      assert.match(info['loginUrl'] ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info['tlsCertificatePath'], join(dataDir, 'tls', 'tls.crt'));
      // Node's fetch does not trust a self-signed certificate it was not told about
      await assert.rejects(fetch(`${info['loginUrl']}/services/data`));
    } finally {
      assert.equal(await stop(child), 0);
    }
    const pem = await readFile(join(dataDir, 'tls', 'tls.crt'), 'utf8');
    const again = await start(dataDir, ['--https']);
    try {
      assert.equal(await readFile(again.info['tlsCertificatePath'] ?? '', 'utf8'), pem);
    } finally {
      assert.equal(await stop(again.child), 0);
    }
  });

  it('refuses --tls-key without --tls-cert', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        '--port',
        '0',
        '--tls-key',
        '/nonexistent.key',
        '--data-dir',
        join(tmpdir(), 'sf-emulator-never'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /--tls-key and --tls-cert go together/);
  });

  it('refuses a non-loopback host', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--port', '0', '--host', '0.0.0.0', '--data-dir', join(tmpdir(), 'sf-emulator-never')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /loopback/);
  });
});
