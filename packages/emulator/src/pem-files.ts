// Self-signed key pairs as PEM files, kept in a data directory across restarts: the demo app's JWT signing pair
// (seed/keys.ts) and the listeners' TLS certificate (registry/tls.ts) are both made and stored this way.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
// @peculiar/x509 depends on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

import { systemClock, type Clock } from './clock.js';

export interface PemPair {
  privateKeyPem: string;
  certificatePem: string;
}

export interface PemPairFiles extends PemPair {
  privateKeyPath: string;
  certificatePath: string;
}

export interface SelfSignedSpec {
  algorithm: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams;
  /** the signature algorithm: the key's, with its hash */
  signing: webcrypto.RsaHashedKeyGenParams | (webcrypto.EcKeyGenParams & { hash: string });
  commonName: string;
  validDays: number;
  extensions: x509.Extension[];
  /** what "now" is for the validity period (default: the machine's clock, `systemClock`) */
  clock?: Clock;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** A new key and a self-signed certificate for it (valid from a day ago, so a skewed clock accepts it at once). */
export async function generateSelfSigned(spec: SelfSignedSpec): Promise<PemPair> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = await webcrypto.subtle.generateKey(spec.algorithm, true, ['sign', 'verify']);
  // the machine's clock, not an org's adjustable one: the clients that check this certificate (Node's TLS, jose,
  // openssl, sf) compare it with their own real clock
  const now = (spec.clock ?? systemClock).now().getTime();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: `CN=${spec.commonName}`,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + spec.validDays * 86_400_000),
    signingAlgorithm: spec.signing,
    // @peculiar/x509 types the pair with the DOM's CryptoKeyPair; node's webcrypto pair is the same object.
    keys: keys as never,
    extensions: spec.extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { privateKeyPem: pem('PRIVATE KEY', pkcs8), certificatePem: cert.toString('pem') + '\n' };
}

/** Reuses `dir/keyFile` + `dir/certFile` when both hold PEM; else generates them (key 0600, directory 0700). */
export async function ensurePemPair(
  dir: string,
  files: { keyFile: string; certFile: string },
  generate: () => Promise<PemPair>,
): Promise<PemPairFiles> {
  const privateKeyPath = join(dir, files.keyFile);
  const certificatePath = join(dir, files.certFile);
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
  const pair = await generate();
  await writeFile(privateKeyPath, pair.privateKeyPem, { mode: 0o600 });
  await chmod(privateKeyPath, 0o600);
  await writeFile(certificatePath, pair.certificatePem, { mode: 0o644 });
  return { ...pair, privateKeyPath, certificatePath };
}
