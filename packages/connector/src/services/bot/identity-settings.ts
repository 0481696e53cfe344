// A tenant's identity-token settings as the operator sets them: issuer and audience, and exactly one of a public key
// (RSA, or EC P-256 for ES256) or a JWKS URL the URL policy accepts; checked when saved, so a bad key or a private
// address fails at once with its code instead of refusing every employee later.

import { createPublicKey } from 'node:crypto';

import type { BotIdentityRepository, BotIdentitySettings } from '../../domain/bot/bot-ports.js';
import type { Tenant } from '../../domain/tenant.js';
import { appError } from '../../errors/app-error.js';
import { BOT_IDENTITY_SETTINGS_INVALID } from '../../errors/codes/bot.js';

export interface IdentitySettingsInput {
  issuer: string;
  audience: string;
  publicKeyPem?: string;
  jwksUrl?: string;
}

export class BotIdentitySettingsService {
  constructor(
    private readonly deps: {
      tenants: { show(id: string): Promise<Tenant> };
      identity: BotIdentityRepository;
      /** the URL policy's check (notify/webhook/url-policy.ts resolveWebhookTarget) */
      checkUrl: (url: string) => Promise<void>;
    },
  ) {}

  async set(tenantId: string, input: IdentitySettingsInput): Promise<BotIdentitySettings> {
    const tenant = await this.deps.tenants.show(tenantId);
    const refuse = (reason: string): never => {
      throw appError(BOT_IDENTITY_SETTINGS_INVALID, { params: { tenant: tenant.id, reason } });
    };
    if ((input.publicKeyPem === undefined) === (input.jwksUrl === undefined))
      refuse('give exactly one of publicKeyPem and jwksUrl');
    if (input.publicKeyPem !== undefined) {
      let kind: string | undefined;
      let curve: string | undefined;
      try {
        const key = createPublicKey(input.publicKeyPem);
        kind = key.asymmetricKeyType;
        curve = key.asymmetricKeyDetails?.namedCurve;
      } catch {
        refuse('publicKeyPem is not a PEM public key');
      }
      if (kind !== 'rsa' && !(kind === 'ec' && curve === 'prime256v1'))
        refuse('the key must be RSA (RS256) or EC P-256 (ES256)');
    }
    if (input.jwksUrl !== undefined) await this.deps.checkUrl(input.jwksUrl);
    const settings: BotIdentitySettings = {
      tenantId: tenant.id,
      issuer: input.issuer,
      audience: input.audience,
      publicKeyPem: input.publicKeyPem ?? null,
      jwksUrl: input.jwksUrl ?? null,
    };
    await this.deps.identity.put(settings);
    return settings;
  }

  async show(tenantId: string): Promise<BotIdentitySettings | null> {
    const tenant = await this.deps.tenants.show(tenantId);
    return this.deps.identity.get(tenant.id);
  }
}
