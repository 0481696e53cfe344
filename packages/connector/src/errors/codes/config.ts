// CONFIG_: configuration that cannot be used as given.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const CONFIG_INVALID = defineError(
  'CONFIG_INVALID',
  'Configuration is invalid: {summary}',
  'Correct the listed environment variables (see docs/configuration.md) and start again.',
  500,
  EXIT.usage,
);

export const CONFIG_MASTER_KEY_INVALID = defineError(
  'CONFIG_MASTER_KEY_INVALID',
  'The master key is not usable: {reason}',
  'Set CASEBRIDGE_MASTER_KEY to 32 random bytes in base64 (e.g. `openssl rand -base64 32`), or point CASEBRIDGE_MASTER_KEY_FILE at a 0600 file holding one.',
  500,
  EXIT.usage,
);

export const CONFIG_MASTER_KEY_MISSING = defineError(
  'CONFIG_MASTER_KEY_MISSING',
  'No master key is configured and none can be created in {dataDir} with a PostgreSQL store.',
  'With PostgreSQL every worker must share one master key: set CASEBRIDGE_MASTER_KEY or CASEBRIDGE_MASTER_KEY_FILE on every worker.',
  500,
  EXIT.usage,
);

export const CONFIG_PORT_IN_USE = defineError(
  'CONFIG_PORT_IN_USE',
  'Port {port} on {host} is already in use, so the {server} cannot listen ({setting}={port}).',
  'Stop the program that holds port {port} (`ss -ltnp | grep :{port}` shows it), or set {setting} to a free port (0 picks any free one), then start again.',
  500,
  EXIT.usage,
);
