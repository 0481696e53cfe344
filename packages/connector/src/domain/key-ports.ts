// A tenant's RSA key: made or described by the KeyFactory, used by the KeySigner for JWT bearer logins.

import type { KeyInfo } from './tenant.js';

export interface GeneratedKeyPair {
  privateKeyPem: string;
  certificatePem: string;
  info: Omit<KeyInfo, 'provenAt'>;
}

export interface KeyFactory {
  /** a new RSA 2048 key and self-signed SHA-256 certificate, valid for `days` */
  generate(options: { commonName: string; days: number }): Promise<GeneratedKeyPair>;
  /** describe an existing key + certificate pair; throws when they do not match */
  describe(privateKeyPem: string, certificatePem: string): Promise<Omit<KeyInfo, 'provenAt'>>;
}

/** The claims of a Salesforce JWT bearer assertion (seconds since the epoch for `exp`). */
export interface JwtBearerClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

/** Signs JWT bearer assertions with a tenant's private key (RS256), so tests can inject keys and never see PEMs. */
export interface KeySigner {
  sign(claims: JwtBearerClaims): Promise<string>;
}
