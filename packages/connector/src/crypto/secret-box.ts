// AES-256-GCM SecretBox under the master key ring. An envelope is `cb1.<keyId>.<iv>.<ciphertext>.<tag>`
// (base64url parts): the version and key id say how to open it, a fresh 12-byte IV per seal, and the
// binding (tenant id + field name) plus the header as associated data, so an envelope copied to another tenant or
// field, edited, or relabelled with another key id fails to open instead of yielding someone else's secret.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { SecretBinding, SecretBox } from '../domain/ports.js';
import { appError } from '../errors/app-error.js';
import {
  SECRETS_ENVELOPE_INVALID,
  SECRETS_OPEN_FAILED,
  SECRETS_UNKNOWN_KEY,
} from '../errors/codes/secrets.js';
import type { MasterKey, MasterKeyRing } from './master-key.js';

export const ENVELOPE_VERSION = 'cb1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]*$/;

interface ParsedEnvelope {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function malformed(reason: string): never {
  throw appError(SECRETS_ENVELOPE_INVALID, { params: { reason } });
}

function parse(envelope: string): ParsedEnvelope {
  const parts = envelope.split('.');
  if (parts.length !== 5) malformed('wrong number of parts');
  const [version, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (version !== ENVELOPE_VERSION) malformed(`unknown version "${version.slice(0, 8)}"`);
  if (keyId.length === 0 || ![iv, ciphertext, tag].every((part) => PART.test(part)))
    malformed('bad encoding');
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) malformed('bad IV or tag length');
  return parsed;
}

/** Unambiguous associated data: JSON never lets "a.b"+"c" collide with "a"+"b.c". */
function associatedData(keyId: string, binding: SecretBinding): Buffer {
  return Buffer.from(JSON.stringify([ENVELOPE_VERSION, keyId, binding.tenantId, binding.field]), 'utf8');
}

export class AesGcmSecretBox implements SecretBox {
  readonly #byId: ReadonlyMap<string, MasterKey>;
  readonly #current: MasterKey;

  constructor(ring: Pick<MasterKeyRing, 'keys' | 'current'>) {
    this.#byId = new Map(ring.keys.map((key) => [key.id, key]));
    this.#current = ring.current;
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  seal(plaintext: string, binding: SecretBinding): string {
    const key = this.#current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.bytes(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(key.id, binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [ENVELOPE_VERSION, key.id, iv, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(envelope: string, binding: SecretBinding): string {
    const parsed = parse(envelope);
    const key = this.#byId.get(parsed.keyId);
    if (!key) throw appError(SECRETS_UNKNOWN_KEY, { params: { keyId: parsed.keyId } });
    const decipher = createDecipheriv('aes-256-gcm', key.bytes(), parsed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(key.id, binding));
    decipher.setAuthTag(parsed.tag);
    try {
      return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
    } catch (err) {
      // node says only "Unsupported state or unable to authenticate data"; the cause carries nothing secret
      throw appError(SECRETS_OPEN_FAILED, {
        params: { tenant: binding.tenantId, field: binding.field, keyId: key.id },
        cause: err,
      });
    }
  }

  keyIdOf(envelope: string): string {
    return parse(envelope).keyId;
  }
}
