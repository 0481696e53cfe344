// KEYS_: the RSA private key and X.509 certificate a tenant signs its JWT assertions with, and their files.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const KEYS_FILE_EXISTS = defineError(
  'KEYS_FILE_EXISTS',
  'A private key already exists at {path}; it was left untouched.',
  'Choose another --out directory, or pass --force to replace it (the old key stops working once its certificate is removed from the Connected App).',
  409,
  EXIT.usage,
);

export const KEYS_FILE_UNREADABLE = defineError(
  'KEYS_FILE_UNREADABLE',
  'The key file {path} cannot be read or written: {reason}',
  'Check the path and that the casebridge user may read (or create) it.',
  400,
  EXIT.usage,
);

export const KEYS_INVALID_PRIVATE_KEY = defineError(
  'KEYS_INVALID_PRIVATE_KEY',
  'The private key cannot be used: {reason}',
  'Give an unencrypted RSA private key of at least 2048 bits in PEM form (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`), e.g. the salesforce.key that `casebridge keygen` or `openssl req -x509 -nodes -newkey rsa:2048` wrote.',
  400,
  EXIT.usage,
);

export const KEYS_INVALID_CERTIFICATE = defineError(
  'KEYS_INVALID_CERTIFICATE',
  'The certificate cannot be used: {reason}',
  'Give the X.509 certificate in PEM form (`BEGIN CERTIFICATE`), the salesforce.crt written next to the key.',
  400,
  EXIT.usage,
);

export const KEYS_MISMATCH = defineError(
  'KEYS_MISMATCH',
  'The private key does not belong to the certificate (certificate fingerprint {fingerprint}).',
  'Pass the certificate that was made from this key (the pair written together), or generate a new pair with `casebridge keygen` and upload its certificate to the Connected App.',
  400,
  EXIT.usage,
);

export const KEYS_INVALID_VALIDITY = defineError(
  'KEYS_INVALID_VALIDITY',
  'A certificate validity of {days} days is not allowed.',
  'Give a whole number of days from 1 to 36500 (the default, 100 years, is what the Salesforce setup guide uses).',
  400,
  EXIT.usage,
);

export const KEYS_CERTIFICATE_EXPIRED = defineError(
  'KEYS_CERTIFICATE_EXPIRED',
  'The active certificate of tenant {tenant} expired on {notAfter}: every login fails until the key is rotated.',
  'Rotate the key: `casebridge tenants rotate-key {tenant}`, upload the new certificate to the Connected App, then run `casebridge tenants rotate-key {tenant} --commit`.',
  409,
  EXIT.failure,
);
