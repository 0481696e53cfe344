// The operator's side of the bot API: a tenant's identity-token settings and its platforms' API keys, as the CLI
// (`casebridge bot ...`) and the admin API share them (in process, or over the running service's admin API).

import type { BotIdentitySettings } from '../../domain/bot/bot-ports.js';
import type { BotApiKeyInfo, BotApiKeyService, BotApiKeyWithSecret } from './bot-api-keys.js';
import type { BotIdentitySettingsService, IdentitySettingsInput } from './identity-settings.js';

export interface BotAdminOperations {
  setIdentity(tenantId: string, input: IdentitySettingsInput): Promise<BotIdentitySettings>;
  showIdentity(tenantId: string): Promise<BotIdentitySettings | null>;
  createKey(tenantId: string, name: string): Promise<BotApiKeyWithSecret>;
  listKeys(tenantId: string): Promise<BotApiKeyInfo[]>;
  rotateKey(tenantId: string, name: string): Promise<BotApiKeyWithSecret>;
  finishKeyRotation(tenantId: string, name: string): Promise<BotApiKeyInfo[]>;
  revokeKey(tenantId: string, name: string): Promise<{ revoked: number }>;
}

export class LocalBotAdmin implements BotAdminOperations {
  constructor(
    private readonly identity: Pick<BotIdentitySettingsService, 'set' | 'show'>,
    private readonly keys: BotApiKeyService,
  ) {}

  setIdentity(tenantId: string, input: IdentitySettingsInput): Promise<BotIdentitySettings> {
    return this.identity.set(tenantId, input);
  }
  showIdentity(tenantId: string): Promise<BotIdentitySettings | null> {
    return this.identity.show(tenantId);
  }
  createKey(tenantId: string, name: string): Promise<BotApiKeyWithSecret> {
    return this.keys.create(tenantId, name);
  }
  listKeys(tenantId: string): Promise<BotApiKeyInfo[]> {
    return this.keys.list(tenantId);
  }
  rotateKey(tenantId: string, name: string): Promise<BotApiKeyWithSecret> {
    return this.keys.rotate(tenantId, name);
  }
  finishKeyRotation(tenantId: string, name: string): Promise<BotApiKeyInfo[]> {
    return this.keys.finishRotation(tenantId, name);
  }
  revokeKey(tenantId: string, name: string): Promise<{ revoked: number }> {
    return this.keys.revoke(tenantId, name);
  }
}
