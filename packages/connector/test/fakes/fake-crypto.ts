// Test doubles for the SecretBox and KeyFactory ports: deterministic and fast, with the same contracts
// (a binding mismatch fails; describe() refuses a key that does not match its certificate).

import type { GeneratedKeyPair, KeyFactory, SecretBinding, SecretBox } from '../../src/domain/ports.js';

export class FakeSecretBox implements SecretBox {
  readonly currentKeyId = 'test';
  seal(plaintext: string, binding: SecretBinding): string {
    return `fake.test.${Buffer.from(JSON.stringify([binding.tenantId, binding.field, plaintext])).toString('base64url')}`;
  }
  open(envelope: string, binding: SecretBinding): string {
    const [tenantId, field, plaintext] = JSON.parse(
      Buffer.from(envelope.split('.')[2] ?? '', 'base64url').toString(),
    ) as [string, string, string];
    if (tenantId !== binding.tenantId || field !== binding.field) throw new Error('binding mismatch');
    return plaintext;
  }
  keyIdOf(envelope: string): string {
    return envelope.split('.')[1] ?? '';
  }
}

let serial = 0;

export class FakeKeyFactory implements KeyFactory {
  generate(options: { commonName: string; days: number }): Promise<GeneratedKeyPair> {
    serial += 1;
    const id = `${options.commonName}#${serial}`;
    return Promise.resolve({
      privateKeyPem: `-----BEGIN PRIVATE KEY-----\nKEY ${id}\n-----END PRIVATE KEY-----\n`,
      certificatePem: `-----BEGIN CERTIFICATE-----\nCERT ${id}\n-----END CERTIFICATE-----\n`,
      info: {
        fingerprint: `FP:${serial}`,
        certificatePem: `-----BEGIN CERTIFICATE-----\nCERT ${id}\n-----END CERTIFICATE-----\n`,
        notAfter: new Date(Date.parse('2026-01-01') + options.days * 86_400_000).toISOString(),
        createdAt: '2026-11-24T12:00:00.000Z',
      },
    });
  }
  describe(privateKeyPem: string, certificatePem: string): Promise<GeneratedKeyPair['info']> {
    const keyId = /KEY (.+)/.exec(privateKeyPem)?.[1];
    const certId = /CERT (.+)/.exec(certificatePem)?.[1];
    if (!keyId || keyId !== certId) return Promise.reject(new Error('key does not match certificate'));
    return Promise.resolve({
      fingerprint: `FP:${keyId}`,
      certificatePem,
      notAfter: '2126-01-01T00:00:00.000Z',
      createdAt: '2026-11-24T12:00:00.000Z',
    });
  }
}
