// SECRETS_: sealed secrets and the master key ring that seals them. Messages name key ids, tenants, fields and
// paths, never a key or a plaintext.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const SECRETS_ENVELOPE_INVALID = defineError(
  'SECRETS_ENVELOPE_INVALID',
  'A stored secret is not a casebridge envelope ({reason}).',
  'The stored value is damaged or was not written by casebridge. Set the secret again (e.g. `casebridge tenants update` or re-import the key).',
  500,
  EXIT.failure,
);

export const SECRETS_UNKNOWN_KEY = defineError(
  'SECRETS_UNKNOWN_KEY',
  'A stored secret is sealed under master key "{keyId}", which is not in the configured key ring.',
  'Add the key with id "{keyId}" back to CASEBRIDGE_MASTER_KEY or the master key file (keep retired keys until `casebridge secrets rotate` has finished), then retry.',
  500,
  EXIT.usage,
);

export const SECRETS_OPEN_FAILED = defineError(
  'SECRETS_OPEN_FAILED',
  'The secret "{field}" of tenant "{tenant}" failed authentication under master key "{keyId}".',
  'The envelope was altered, belongs to another tenant or field, or key "{keyId}" in the ring is not the key that sealed it. Restore the right master key, or set the secret again.',
  500,
  EXIT.failure,
);

export const SECRETS_KEY_FILE_PERMISSIONS = defineError(
  'SECRETS_KEY_FILE_PERMISSIONS',
  'The master key file {path} is readable by group or others (mode {mode}).',
  'Run `chmod 600 {path}` (and make sure only the casebridge user owns it), then start again.',
  500,
  EXIT.usage,
);

export const SECRETS_KEY_FILE_UNREADABLE = defineError(
  'SECRETS_KEY_FILE_UNREADABLE',
  'The master key file {path} cannot be read or written: {reason}',
  'Check that the path in CASEBRIDGE_MASTER_KEY_FILE (or the data directory) exists and belongs to the casebridge user.',
  500,
  EXIT.usage,
);

export const SECRETS_KEY_ID_EXISTS = defineError(
  'SECRETS_KEY_ID_EXISTS',
  'The master key ring already holds a key with id "{keyId}".',
  'Choose another id for the new master key (ids are letters, digits, "_" and "-").',
  409,
  EXIT.usage,
);

export const SECRETS_KEY_STILL_USED = defineError(
  'SECRETS_KEY_STILL_USED',
  'Master key "{keyId}" still seals {count} stored secrets and cannot be dropped.',
  'Run `casebridge secrets rotate` until it reports every secret under the current key, then drop the old key.',
  409,
  EXIT.usage,
);

export const SECRETS_KEY_RING_INLINE = defineError(
  'SECRETS_KEY_RING_INLINE',
  'The master keys come from CASEBRIDGE_MASTER_KEY, so casebridge cannot add or drop a key itself.',
  'Put the new key first in CASEBRIDGE_MASTER_KEY (`id:base64,old:base64`), restart every worker, run `casebridge secrets rotate`, then remove the old key from the variable. Or move the keys to a 0600 file named by CASEBRIDGE_MASTER_KEY_FILE.',
  409,
  EXIT.usage,
);

export const SECRETS_ROTATION_CONFLICT = defineError(
  'SECRETS_ROTATION_CONFLICT',
  'The secret "{field}" of tenant "{tenant}" kept changing while it was being re-sealed.',
  'Something else is rewriting this secret (a key rotation in progress?). Let it finish, then run `casebridge secrets rotate` again; finished secrets are skipped.',
  409,
  EXIT.failure,
);

export const SECRETS_MASTER_KEY_MISMATCH = defineError(
  'SECRETS_MASTER_KEY_MISMATCH',
  'Master key "{keyId}" is not the key the store knows by that id: this worker would seal secrets the others cannot open.',
  'Give every worker the same master keys (CASEBRIDGE_MASTER_KEY or the key file) as the workers already running, then start again. Never reuse an id for another key.',
  500,
  EXIT.usage,
);

export const SECRETS_MASTER_KEY_UNKNOWN = defineError(
  'SECRETS_MASTER_KEY_UNKNOWN',
  'None of the configured master keys ({keyIds}) is one the store knows ({known}): this worker would seal secrets the others cannot open.',
  'Start with the master keys the other workers use. To replace a key, put the new one first and keep the old one (`id:base64,old:base64`), then run `casebridge secrets rotate`.',
  500,
  EXIT.usage,
);

export const SECRETS_MASTER_KEY_RETIRED = defineError(
  'SECRETS_MASTER_KEY_RETIRED',
  'Master key "{keyId}" was retired by a rotation on {retiredAt} and may not seal secrets again.',
  'Start with the current master key ring (the one `casebridge secrets rotate` left), as the other workers do.',
  500,
  EXIT.usage,
);
