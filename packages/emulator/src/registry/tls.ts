// The certificate an org's listener serves HTTPS with (`--https`): self-signed, generated once into the data
// directory and reused, for 127.0.0.1, ::1 and localhost, so a client told to trust that one file (Node's
// NODE_EXTRA_CA_CERTS, which jsforce and `sf` honour, or an https.Agent's `ca`) accepts every org's listener.
// Or a key and certificate the caller gives by path.

import { readFile } from 'node:fs/promises';
// @peculiar/x509 depends on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

import { ensurePemPair, generateSelfSigned } from '../pem-files.js';

export interface TlsFiles {
  keyPem: string;
  certificatePem: string;
  keyPath: string;
  /** the file to trust: the self-signed certificate is its own CA */
  certificatePath: string;
}

const FILES = { keyFile: 'tls.key', certFile: 'tls.crt' };

/** a self-signed server certificate for the loopback names, with its PKCS#8 key */
export async function generateTlsCertificate(): Promise<{ keyPem: string; certificatePem: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const made = await generateSelfSigned({
    algorithm,
    signing: { ...algorithm, hash: 'SHA-256' },
    commonName: 'casebridge salesforce emulator',
    validDays: 3650,
    extensions: [
      // CA:TRUE so that the certificate can be a trust anchor in NODE_EXTRA_CA_CERTS, as `openssl req -x509` makes it
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // clients check the host they dialled against the subject alternative names, never the CN
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ],
  });
  return { keyPem: made.privateKeyPem, certificatePem: made.certificatePem };
}

/** reuse `dir/tls.key` + `dir/tls.crt` when both exist; else generate them (key 0600, directory 0700) */
export async function ensureTlsCertificate(dir: string): Promise<TlsFiles> {
  const made = await ensurePemPair(dir, FILES, async () => {
    const pair = await generateTlsCertificate();
    return { privateKeyPem: pair.keyPem, certificatePem: pair.certificatePem };
  });
  return {
    keyPem: made.privateKeyPem,
    certificatePem: made.certificatePem,
    keyPath: made.privateKeyPath,
    certificatePath: made.certificatePath,
  };
}

/** a key and certificate the caller supplies (PEM files) */
export async function readTlsFiles(keyPath: string, certificatePath: string): Promise<TlsFiles> {
  const [keyPem, certificatePem] = await Promise.all([
    readFile(keyPath, 'utf8'),
    readFile(certificatePath, 'utf8'),
  ]);
  if (!keyPem.includes('PRIVATE KEY')) throw new Error(`${keyPath} holds no PEM private key`);
  if (!certificatePem.includes('CERTIFICATE')) throw new Error(`${certificatePath} holds no PEM certificate`);
  return { keyPem, certificatePem, keyPath, certificatePath };
}
