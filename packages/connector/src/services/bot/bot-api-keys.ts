// The bot platform's API keys: several per tenant, each by name (one per platform: `teams-bot`, `intranet`). A key
// (`cbk_<id>_<secret>`) is shown once when made and stored only as its SHA-256; the id finds the row and the hashes
// are compared in constant time. Rotating a name makes a new key while the old one stays accepted, so two are valid
// until the rotation is finished; revoking ends every key of the name. A verified key is remembered for a few
// seconds per worker, so a busy bot does not read the store for it on every call.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type { BotApiKeyRecord, BotApiKeyRepository } from '../../domain/bot/api-key-ports.js';
import type { Clock } from '../../domain/ports.js';
import type { Tenant } from '../../domain/tenant.js';
import { appError } from '../../errors/app-error.js';
import {
  BOT_API_KEY_INVALID,
  BOT_API_KEY_NAME_INVALID,
  BOT_API_KEY_NAME_TAKEN,
  BOT_API_KEY_NOT_FOUND,
  BOT_API_KEY_ROTATION_PENDING,
} from '../../errors/codes/bot.js';
import type { Logger } from '../../logging/logger.js';

const KEY_PREFIX = 'cbk_';
const KEY_PATTERN = /^cbk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** how long a worker trusts a key it verified: a revocation reaches every worker within this */
export const KEY_CACHE_MS = 10_000;
/** last_used_at is written at most this often per key */
const TOUCH_EVERY_MS = 60_000;

/** A key as the operator sees it: never its secret. */
export interface BotApiKeyInfo {
  name: string;
  /** `cbk_<id>`: the public start of the key, to tell keys apart */
  prefix: string;
  state: 'active' | 'retiring';
  createdAt: string;
  lastUsedAt: string | null;
}

export interface BotApiKeyWithSecret {
  key: BotApiKeyInfo;
  /** shown only now */
  secret: string;
}

export interface VerifiedApiKey {
  id: string;
  tenantId: string;
  name: string;
}

export interface BotApiKeyDeps {
  tenants: { show(id: string): Promise<Tenant> };
  keys: BotApiKeyRepository;
  clock: Clock;
  log: Logger;
  random?: (size: number) => Buffer;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export class BotApiKeyService {
  private readonly verified = new Map<string, { at: number; key: VerifiedApiKey; hash: Buffer }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly deps: BotApiKeyDeps) {}

  async create(tenantId: string, name: string): Promise<BotApiKeyWithSecret> {
    const tenant = await this.deps.tenants.show(tenantId);
    checkName(name);
    const { record, secret } = this.newKey(tenant.id, name);
    if (!(await this.deps.keys.insert(record)))
      throw appError(BOT_API_KEY_NAME_TAKEN, { params: { tenant: tenant.id, name } });
    this.deps.log.info({ tenantId: tenant.id, keyName: name, keyId: record.id }, 'bot API key created');
    return { key: infoOf(record), secret };
  }

  async list(tenantId: string): Promise<BotApiKeyInfo[]> {
    const tenant = await this.deps.tenants.show(tenantId);
    return (await this.deps.keys.listLive(tenant.id)).map(infoOf);
  }

  /** A new key for the name; the one it replaces stays accepted until finishRotation. */
  async rotate(tenantId: string, name: string): Promise<BotApiKeyWithSecret> {
    const tenant = await this.deps.tenants.show(tenantId);
    checkName(name);
    const { record, secret } = this.newKey(tenant.id, name);
    const outcome = await this.deps.keys.rotate(tenant.id, name, record, record.createdAt);
    if (outcome === 'none')
      throw appError(BOT_API_KEY_NOT_FOUND, { params: { tenant: tenant.id, name, what: 'active' } });
    if (outcome === 'pending')
      throw appError(BOT_API_KEY_ROTATION_PENDING, { params: { tenant: tenant.id, name } });
    this.deps.log.info({ tenantId: tenant.id, keyName: name, keyId: record.id }, 'bot API key rotated');
    return { key: infoOf(record), secret };
  }

  /** Revokes the key a rotation replaced. */
  async finishRotation(tenantId: string, name: string): Promise<BotApiKeyInfo[]> {
    const tenant = await this.deps.tenants.show(tenantId);
    if (!(await this.deps.keys.revokeRetiring(tenant.id, name, this.deps.clock.now().toISOString())))
      throw appError(BOT_API_KEY_NOT_FOUND, { params: { tenant: tenant.id, name, what: 'retiring' } });
    this.verified.clear();
    return (await this.deps.keys.listLive(tenant.id)).filter((k) => k.name === name).map(infoOf);
  }

  /** Revokes every key of the name (active and retiring); refused from now on. */
  async revoke(tenantId: string, name: string): Promise<{ revoked: number }> {
    const tenant = await this.deps.tenants.show(tenantId);
    const revoked = await this.deps.keys.revokeName(tenant.id, name, this.deps.clock.now().toISOString());
    if (revoked === 0)
      throw appError(BOT_API_KEY_NOT_FOUND, { params: { tenant: tenant.id, name, what: 'live' } });
    this.verified.clear();
    this.deps.log.info({ tenantId: tenant.id, keyName: name }, 'bot API key revoked');
    return { revoked };
  }

  /** The tenant and name of a live key, or BOT_API_KEY_INVALID (the same answer whatever is wrong with it). */
  async verify(presented: string | undefined): Promise<VerifiedApiKey> {
    if (presented === undefined || presented === '')
      throw appError(BOT_API_KEY_INVALID, { params: { reason: 'no X-Api-Key header' } });
    const match = KEY_PATTERN.exec(presented);
    const refused = (): never => {
      throw appError(BOT_API_KEY_INVALID, { params: { reason: 'the key is unknown or revoked' } });
    };
    if (match === null) return refused();
    const id = match[1] ?? '';
    const hash = sha256(presented);
    const now = this.deps.clock.now().getTime();
    const cached = this.verified.get(id);
    if (cached !== undefined && now - cached.at < KEY_CACHE_MS)
      return timingSafeEqual(cached.hash, hash) ? cached.key : refused();
    const record = await this.deps.keys.get(id);
    if (record === null || record.revokedAt !== null) return refused();
    const stored = Buffer.from(record.secretHash, 'hex');
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return refused();
    const key = { id: record.id, tenantId: record.tenantId, name: record.name };
    if (this.verified.size > 1_000) this.verified.clear();
    this.verified.set(id, { at: now, key, hash: stored });
    if (now - (this.touched.get(id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(id, now);
      await this.deps.keys.touch(id, new Date(now).toISOString());
    }
    return key;
  }

  private newKey(tenantId: string, name: string): { record: BotApiKeyRecord; secret: string } {
    const random = this.deps.random ?? randomBytes;
    // 12 base-36 characters from 8 random bytes: public, only to find the row
    const id = BigInt(`0x${random(8).toString('hex')}`)
      .toString(36)
      .padStart(12, '0')
      .slice(-12);
    const secret = `${KEY_PREFIX}${id}_${random(32).toString('base64url')}`;
    return {
      secret,
      record: {
        id,
        tenantId,
        name,
        secretHash: sha256(secret).toString('hex'),
        createdAt: this.deps.clock.now().toISOString(),
        retiringAt: null,
        revokedAt: null,
        lastUsedAt: null,
      },
    };
  }
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name))
    throw appError(BOT_API_KEY_NAME_INVALID, { params: { name: name.slice(0, 80) } });
}

function infoOf(record: BotApiKeyRecord): BotApiKeyInfo {
  return {
    name: record.name,
    prefix: `${KEY_PREFIX}${record.id}`,
    state: record.retiringAt === null ? 'active' : 'retiring',
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
  };
}
