// KeyFactory: an RSA 2048 key and a self-signed SHA-256 X.509 certificate, the pair the Salesforce setup guide
// makes with `openssl req -x509 -sha256 -nodes -days 36500 -newkey rsa:2048`, and `describe` for a pair given
// to us (PKCS#8 or the PKCS#1 `BEGIN RSA PRIVATE KEY` that openssl 1.x writes): does the key match the
// certificate, what is its fingerprint, when does it expire.

// @peculiar/x509 depends on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';

import {
  createPrivateKey,
  KeyObject,
  randomBytes,
  webcrypto,
  X509Certificate as NodeX509,
} from 'node:crypto';

import * as x509 from '@peculiar/x509';

import type { Clock, GeneratedKeyPair, KeyFactory } from '../domain/ports.js';
import type { KeyInfo } from '../domain/tenant.js';
import { appError } from '../errors/app-error.js';
import {
  KEYS_INVALID_CERTIFICATE,
  KEYS_INVALID_PRIVATE_KEY,
  KEYS_INVALID_VALIDITY,
  KEYS_MISMATCH,
} from '../errors/codes/keys.js';
import { InvariantError } from '../errors/invariant-error.js';

// node's webcrypto is the standard Crypto the library expects; the cast only bridges the two type declarations
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** 100 years, as in the setup guide's openssl command. */
export const DEFAULT_CERTIFICATE_DAYS = 36500;
export const MAX_CERTIFICATE_DAYS = 36500;
const MIN_RSA_BITS = 2048;
const DAY_MS = 86_400_000;

const RSA_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

function reasonOf(err: unknown): string {
  // node's crypto errors name the decoder step that failed; they never echo the input
  return err instanceof Error ? err.message : 'unreadable';
}

/** Reads an unencrypted RSA private key (PKCS#8 or PKCS#1 PEM) of at least 2048 bits. */
export function readPrivateKey(privateKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (err) {
    throw appError(KEYS_INVALID_PRIVATE_KEY, { params: { reason: reasonOf(err) }, cause: err });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw appError(KEYS_INVALID_PRIVATE_KEY, {
      params: { reason: `it is a ${key.asymmetricKeyType ?? 'unknown'} key, not RSA` },
    });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw appError(KEYS_INVALID_PRIVATE_KEY, {
      params: { reason: `it has ${bits} bits; at least ${MIN_RSA_BITS} are required` },
    });
  }
  return key;
}

/** The key as PKCS#8 PEM (`BEGIN PRIVATE KEY`), whatever form it came in, so stored keys are all alike. */
export function normalizePrivateKeyPem(privateKeyPem: string): string {
  return readPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function readCertificate(certificatePem: string): NodeX509 {
  try {
    return new NodeX509(certificatePem);
  } catch (err) {
    throw appError(KEYS_INVALID_CERTIFICATE, { params: { reason: reasonOf(err) }, cause: err });
  }
}

export interface CertificateDescription extends Omit<KeyInfo, 'provenAt'> {
  subject: string;
  notBefore: string;
  signatureAlgorithm: string;
}

export class X509KeyFactory implements KeyFactory {
  constructor(private readonly clock: Clock) {}

  async generate(options: { commonName: string; days: number }): Promise<GeneratedKeyPair> {
    const { days } = options;
    if (!Number.isInteger(days) || days < 1 || days > MAX_CERTIFICATE_DAYS) {
      throw appError(KEYS_INVALID_VALIDITY, { params: { days: String(days) } });
    }
    const keys = await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
    const now = this.clock.now();
    // whole seconds: X.509 times have no fractions, and openssl prints what we store
    const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const serial = randomBytes(16);
    serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER, as RFC 5280 requires
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial.toString('hex'),
      // JSON name form: no escaping rules to get wrong for a CN holding commas or '='
      name: [{ CN: [options.commonName] }],
      notBefore,
      notAfter: new Date(notBefore.getTime() + days * DAY_MS),
      signingAlgorithm: RSA_SHA256,
      keys,
      extensions: [
        // what `openssl req -x509` adds by default (openssl 3): CA:TRUE, subject and authority key ids
        new x509.BasicConstraintsExtension(true, undefined, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const privateKeyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
    const certificatePem = `${certificate.toString('pem').trim()}\n`;
    const info = await this.describe(privateKeyPem, certificatePem);
    return { privateKeyPem, certificatePem, info };
  }

  describe(privateKeyPem: string, certificatePem: string): Promise<Omit<KeyInfo, 'provenAt'>> {
    try {
      const {
        fingerprint,
        certificatePem: pem,
        notAfter,
        createdAt,
      } = this.inspect(privateKeyPem, certificatePem);
      return Promise.resolve({ fingerprint, certificatePem: pem, notAfter, createdAt });
    } catch (err) {
      return Promise.reject(
        err instanceof Error ? err : new InvariantError(`key inspection threw a non-Error: ${String(err)}`),
      );
    }
  }

  /** Like describe, with the certificate's subject, start and signature algorithm for `keygen` and `doctor`. */
  inspect(privateKeyPem: string, certificatePem: string): CertificateDescription {
    const key = readPrivateKey(privateKeyPem);
    const cert = readCertificate(certificatePem);
    // node's fingerprint256 is the colon-separated upper-case hex `openssl x509 -fingerprint -sha256` prints
    const fingerprint = cert.fingerprint256;
    if (!cert.checkPrivateKey(key)) throw appError(KEYS_MISMATCH, { params: { fingerprint } });
    const parsed = new x509.X509Certificate(cert.raw);
    return {
      fingerprint,
      certificatePem: `${cert.toString().trim()}\n`,
      notAfter: parsed.notAfter.toISOString(),
      notBefore: parsed.notBefore.toISOString(),
      createdAt: this.clock.now().toISOString(),
      subject: parsed.subject,
      signatureAlgorithm: describeAlgorithm(parsed.signatureAlgorithm),
    };
  }
}

function describeAlgorithm(algorithm: x509.X509Certificate['signatureAlgorithm']): string {
  const { name, hash } = algorithm as { name?: string; hash?: string | { name?: string } };
  const hashName = typeof hash === 'string' ? hash : (hash?.name ?? '');
  return [name ?? 'unknown', hashName].filter(Boolean).join(' ');
}
