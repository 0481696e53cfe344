// Over https, the connection goes to the checked address while TLS is done for the name: SNI carries it and the
// certificate is verified against it, so pinning the address weakens nothing.

import assert from 'node:assert/strict';
import { KeyObject, webcrypto } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, test } from 'node:test';

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

import { WebhookSender } from './send-webhook.js';
import { webhookUrlPolicy, type HostResolver } from './url-policy.js';

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function selfSigned(dnsName: string): Promise<{ key: string; cert: string }> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: [{ CN: [dnsName] }],
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
    signingAlgorithm: EC,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: dnsName }]),
    ],
  });
  return {
    key: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: certificate.toString('pem'),
  };
}

async function tlsReceiver(credentials: { key: string; cert: string }) {
  const seen: { servername: string | false | null; host: string | undefined }[] = [];
  const server = createServer(credentials, (req, res) => {
    seen.push({ servername: (req.socket as TLSSocket).servername, host: req.headers.host });
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, seen };
}

const resolve: HostResolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
const policy = webhookUrlPolicy({ allowedCidrs: ['127.0.0.1/32'] });
const delivery = (url: string) => ({
  url,
  eventId: 'evt_1',
  body: '{}',
  secrets: ['whsec_0123456789abcdef0123456789abcdef'],
});

test('https to a name: SNI and Host carry the name, the certificate is checked against it', async () => {
  const credentials = await selfSigned('receiver.test');
  const { port, seen } = await tlsReceiver(credentials);
  const sender = new WebhookSender({
    policy,
    resolve,
    nowSeconds: () => 1,
    ca: credentials.cert,
    timeoutMs: 5_000,
  });
  const report = await sender.send(delivery(`https://receiver.test:${port}/hook`));
  assert.deepEqual(report.outcome, { kind: 'delivered', status: 200 });
  assert.equal(report.address, '127.0.0.1');
  assert.deepEqual(seen, [{ servername: 'receiver.test', host: `receiver.test:${port}` }]);
});

test('a certificate for another name is a permanent TLS failure, not a retry', async () => {
  const credentials = await selfSigned('someone-else.test');
  const { port, seen } = await tlsReceiver(credentials);
  const sender = new WebhookSender({
    policy,
    resolve,
    nowSeconds: () => 1,
    ca: credentials.cert,
    timeoutMs: 5_000,
  });
  const report = await sender.send(delivery(`https://receiver.test:${port}/hook`));
  assert.deepEqual(report.outcome, { kind: 'permanent', reason: 'TLS: ERR_TLS_CERT_ALTNAME_INVALID' });
  assert.equal(seen.length, 0);
});
