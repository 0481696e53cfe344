// The JWT signing key pair of the demo connected app: an RSA-2048 private key and a self-signed SHA-256
// certificate, as the customer creates with `openssl req -x509 -sha256 -nodes -newkey rsa:2048`
// (seed/salesforce-access-requirements.txt). Written once and reused across restarts, so a client configured
// with the key keeps working.

// @peculiar/x509 depends on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

import { ensurePemPair, generateSelfSigned, type PemPair, type PemPairFiles } from '../pem-files.js';

export type KeyPairPem = PemPair;
export type KeyPairFiles = PemPairFiles;

const FILES = { keyFile: 'server.key', certFile: 'server.crt' };

export async function generateKeyPair(commonName = 'casebridge-demo'): Promise<KeyPairPem> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  return generateSelfSigned({
    algorithm,
    signing: algorithm,
    commonName,
    // 100 years, like the `-days 36500` of the customer instructions
    validDays: 36_500,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
}

/** reuse `dir/server.key` + `dir/server.crt` when both exist; else generate them (key 0600, directory 0700) */
export function ensureKeyPair(dir: string): Promise<KeyPairFiles> {
  return ensurePemPair(dir, FILES, () => generateKeyPair());
}
