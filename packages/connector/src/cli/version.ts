// The version `casebridge --version` prints: the connector package's own.

import { readFileSync } from 'node:fs';

export const CLI_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
