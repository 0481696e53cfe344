#!/usr/bin/env node
// Writes a tarball of a freshly initialised in-memory PGlite database to the path given (PGlite's dumpDataDir, not
// compressed). The test runners make one per run so that each test process's in-memory stores load it instead of
// running initdb (packages/connector/test/helpers/pglite-template.ts).
//   node scripts/pglite-template.mjs <file>
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';

const [path] = process.argv.slice(2);
if (!path) {
  console.error('usage: node scripts/pglite-template.mjs <file>');
  process.exit(2);
}
const db = await PGlite.create();
await db.query('SELECT 1');
const dump = await db.dumpDataDir('none');
await db.close();
writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
