// Proves the network blocker preload: a child process cannot reach beyond loopback by any client API, each attempt is logged, and loopback still works.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { blockerEnv, readBlocked } from './network-guard.js';

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

// Each probe reports how it ended: 'ok:<detail>' or the error code. 10.255.255.1 is a black hole: without the
// blocker the raw connect would hang, so a quick ECONNREFUSED proves the refusal happened locally.
const CHILD_SCRIPT = `
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
const port = Number(process.argv[2]);
const out = {};
const codeOf = (e) => e?.cause?.code ?? e?.code ?? String(e);
function socketProbe(make) {
  return new Promise((resolve) => {
    const s = make();
    s.once('connect', () => { s.destroy(); resolve('ok:connected'); });
    s.once('secureConnect', () => { s.destroy(); resolve('ok:connected'); });
    s.once('error', (e) => resolve(codeOf(e)));
  });
}
out.rawIp = await socketProbe(() => net.connect(81, '10.255.255.1'));
out.rawIpOptions = await socketProbe(() => net.createConnection({ host: '10.255.255.1', port: 443 }));
out.tlsName = await socketProbe(() => tls.connect({ host: 'example.com', port: 443, servername: 'example.com' }));
out.httpsGet = await new Promise((resolve) => {
  https.get('https://example.com/', (res) => { res.resume(); resolve('ok:' + res.statusCode); }).on('error', (e) => resolve(codeOf(e)));
});
out.httpKeepAlive = await new Promise((resolve) => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: 'example.com', port: 80, path: '/', agent }, (res) => { res.resume(); resolve('ok:' + res.statusCode); })
    .on('error', (e) => resolve(codeOf(e)));
});
try { const r = await fetch('https://login.salesforce.com/services/oauth2/token', { method: 'POST' }); out.fetchName = 'ok:' + r.status; }
catch (e) { out.fetchName = codeOf(e); }
try { const r = await fetch('http://10.255.255.1:8080/'); out.fetchIp = 'ok:' + r.status; } catch (e) { out.fetchIp = codeOf(e); }
out.dnsLookup = await new Promise((resolve) => dns.lookup('example.com', (e, a) => resolve(e ? codeOf(e) : 'ok:' + a)));
try { await dns.promises.lookup('test.salesforce.com'); out.dnsPromise = 'ok'; } catch (e) { out.dnsPromise = codeOf(e); }
out.dnsLocalhost = await new Promise((resolve) => dns.lookup('localhost', (e) => resolve(e ? codeOf(e) : 'ok')));
try { const r = await fetch('http://127.0.0.1:' + port + '/hello'); out.fetchLoopback = 'ok:' + (await r.text()); }
catch (e) { out.fetchLoopback = codeOf(e); }
out.httpLocalhost = await new Promise((resolve) => {
  http.get({ host: 'localhost', port, path: '/hello' }, (res) => {
    let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve('ok:' + body));
  }).on('error', (e) => resolve(codeOf(e)));
});
out.rawLoopback = await socketProbe(() => net.connect(port, '127.0.0.1'));
process.stdout.write(JSON.stringify(out));
`;

function runChild(script: string, args: string[], env: Record<string, string>): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

void describe('block-network preload', () => {
  let dir = '';
  let server: Server;
  let port = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casebridge-blocker-'));
    writeFileSync(join(dir, 'probe.mjs'), CHILD_SCRIPT);
    server = createServer((_req, res) => res.end('loopback-works'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  void it('refuses every non-loopback connection quickly, logs each one, and leaves loopback working', async () => {
    const log = join(dir, 'blocked.jsonl');
    const result = await runChild(join(dir, 'probe.mjs'), [String(port)], blockerEnv(log));
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(out, {
      rawIp: 'ECONNREFUSED',
      rawIpOptions: 'ECONNREFUSED',
      tlsName: 'ECONNREFUSED',
      httpsGet: 'ECONNREFUSED',
      httpKeepAlive: 'ECONNREFUSED',
      fetchName: 'ECONNREFUSED',
      fetchIp: 'ECONNREFUSED',
      dnsLookup: 'ENOTFOUND',
      dnsPromise: 'ENOTFOUND',
      dnsLocalhost: 'ok',
      fetchLoopback: 'ok:loopback-works',
      httpLocalhost: 'ok:loopback-works',
      rawLoopback: 'ok:connected',
    });
    // A black-holed address would take tens of seconds to time out; refusals are local and immediate.
    assert.ok(result.ms < 10_000, `child took ${result.ms} ms`);

    const attempts = readBlocked(log).map((a) => `${a.kind} ${a.host}:${a.port ?? '-'}`);
    assert.deepEqual(attempts, [
      'connect 10.255.255.1:81',
      'connect 10.255.255.1:443',
      'connect example.com:443',
      'connect example.com:443',
      'connect example.com:80',
      'connect login.salesforce.com:443',
      'connect 10.255.255.1:8080',
      'dns example.com:-',
      'dns test.salesforce.com:-',
    ]);
    assert.ok(readBlocked(log).every((a) => a.pid > 0));
  });

  void it('a child that only talks to loopback logs nothing', async () => {
    const log = join(dir, 'control.jsonl');
    const script = join(dir, 'loopback-only.mjs');
    writeFileSync(
      script,
      `const r = await fetch('http://127.0.0.1:' + process.argv[2] + '/'); process.stdout.write(await r.text());`,
    );
    const result = await runChild(script, [String(port)], blockerEnv(log));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'loopback-works');
    assert.deepEqual(readBlocked(log), []);
  });
});
