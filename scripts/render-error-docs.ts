// Writes docs/errors.md from the error registry (npm run docs:errors).
import { writeFileSync } from 'node:fs';

import { renderErrorDocs } from '../packages/connector/src/errors/registry.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs());
