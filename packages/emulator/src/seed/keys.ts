// The JWT signing key pair of the demo connected app: an RSA-2048 private key and a self-signed SHA-256
// certificate, as the customer creates with `openssl req -x509 -sha256 -nodes -newkey rsa:2048`
// (seed/salesforce-access-requirements.txt). Written once and reused across restarts, so a client configured
// with the key keeps working.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
// @peculiar/x509 depends on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export interface KeyPairPem {
  privateKeyPem: string;
  certificatePem: string;
}

export interface KeyPairFiles extends KeyPairPem {
  privateKeyPath: string;
  certificatePath: string;
}

const KEY_FILE = 'server.key';
const CERT_FILE = 'server.crt';

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export async function generateKeyPair(commonName = 'casebridge-demo'): Promise<KeyPairPem> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 86_400_000),
    // 100 years, like the `-days 36500` of the customer instructions
    notAfter: new Date(now + 36_500 * 86_400_000),
    signingAlgorithm: algorithm,
    // @peculiar/x509 types the pair with the DOM's CryptoKeyPair; node's webcrypto pair is the same object.
    keys: keys as never,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { privateKeyPem: pem('PRIVATE KEY', pkcs8), certificatePem: cert.toString('pem') + '\n' };
}

/** reuse `dir/server.key` + `dir/server.crt` when both exist; else generate them (key 0600, directory 0700) */
export async function ensureKeyPair(dir: string): Promise<KeyPairFiles> {
  const privateKeyPath = join(dir, KEY_FILE);
  const certificatePath = join(dir, CERT_FILE);
  try {
    const [privateKeyPem, certificatePem] = await Promise.all([
      readFile(privateKeyPath, 'utf8'),
      readFile(certificatePath, 'utf8'),
    ]);
    if (privateKeyPem.includes('PRIVATE KEY') && certificatePem.includes('CERTIFICATE')) {
      return { privateKeyPem, certificatePem, privateKeyPath, certificatePath };
    }
  } catch {
    // not there yet: generate below
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const pair = await generateKeyPair();
  await writeFile(privateKeyPath, pair.privateKeyPem, { mode: 0o600 });
  await chmod(privateKeyPath, 0o600);
  await writeFile(certificatePath, pair.certificatePem, { mode: 0o644 });
  return { ...pair, privateKeyPath, certificatePath };
}
