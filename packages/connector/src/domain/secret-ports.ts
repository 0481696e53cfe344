// Secrets at rest: the box that seals and opens them, and the repository that keeps the sealed envelopes.

import type { SecretName } from './tenant.js';

/** What a sealed secret is bound to: opening it under another tenant or field fails. */
export interface SecretBinding {
  tenantId: string;
  field: string;
}

/** Authenticated encryption of secrets at rest (AES-256-GCM under the master key ring). */
export interface SecretBox {
  seal(plaintext: string, binding: SecretBinding): string;
  open(envelope: string, binding: SecretBinding): string;
  /** the key id an envelope was sealed under (for rotation progress) */
  keyIdOf(envelope: string): string;
  /** the key id new envelopes are sealed under */
  readonly currentKeyId: string;
}

export interface StoredSecret {
  tenantId: string;
  name: SecretName;
  envelope: string;
}

export interface SecretRepository {
  put(tenantId: string, name: SecretName, envelope: string): Promise<void>;
  get(tenantId: string, name: SecretName): Promise<string | null>;
  delete(tenantId: string, name: SecretName): Promise<void>;
  /** every stored secret, for master-key rotation (which re-seals and `replace`s them one by one) */
  list(): Promise<StoredSecret[]>;
  /** replaces an envelope only if it is still `expected` (compare-and-swap, so a rotation can resume safely) */
  replace(secret: StoredSecret, expected: string): Promise<boolean>;
}
