// The certificate an org's listener serves HTTPS with (`--https`): self-signed, generated once into the data
// directory and reused, for 127.0.0.1, ::1 and localhost, so a client told to trust that one file (Node's
// NODE_EXTRA_CA_CERTS, which jsforce and `sf` honour, or an https.Agent's `ca`) accepts every org's listener.
// Or a key and certificate the caller gives by path.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
// @peculiar/x509 depends on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export interface TlsFiles {
  keyPem: string;
  certificatePem: string;
  keyPath: string;
  /** the file to trust: the self-signed certificate is its own CA */
  certificatePath: string;
}

const KEY_FILE = 'tls.key';
const CERT_FILE = 'tls.crt';

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** a self-signed server certificate for the loopback names, with its PKCS#8 key */
export async function generateTlsCertificate(): Promise<{ keyPem: string; certificatePem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: 'CN=casebridge salesforce emulator',
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 3650 * 86_400_000),
    signingAlgorithm: algorithm,
    keys: keys as never,
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
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keyPem: pem('PRIVATE KEY', pkcs8), certificatePem: cert.toString('pem') + '\n' };
}

/** reuse `dir/tls.key` + `dir/tls.crt` when both exist; else generate them (key 0600, directory 0700) */
export async function ensureTlsCertificate(dir: string): Promise<TlsFiles> {
  const keyPath = join(dir, KEY_FILE);
  const certificatePath = join(dir, CERT_FILE);
  try {
    const [keyPem, certificatePem] = await Promise.all([
      readFile(keyPath, 'utf8'),
      readFile(certificatePath, 'utf8'),
    ]);
    if (keyPem.includes('PRIVATE KEY') && certificatePem.includes('CERTIFICATE')) {
      return { keyPem, certificatePem, keyPath, certificatePath };
    }
  } catch {
    // not there yet: generate below
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const made = await generateTlsCertificate();
  await writeFile(keyPath, made.keyPem, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(certificatePath, made.certificatePem, { mode: 0o644 });
  return { ...made, keyPath, certificatePath };
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
