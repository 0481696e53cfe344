// Loaded by scripts/run-tests.mjs and scripts/run-mutants.mjs into every test process (`--import`): when
// CASEBRIDGE_TEST_PGLITE_TEMPLATE names a tarball of a freshly initialised PGlite database (the runner makes one per
// run with `node scripts/pglite-template.mjs`), every in-memory store of the process starts from it instead of
// running initdb again (src/store/pglite-db.ts, startInMemoryFrom). Without the variable nothing changes.

import { readFileSync } from 'node:fs';

import { startInMemoryFrom } from '../../src/store/pglite-db.js';

const path = process.env['CASEBRIDGE_TEST_PGLITE_TEMPLATE'];
if (path !== undefined && path !== '') {
  let tarball: Blob | undefined;
  startInMemoryFrom(() => (tarball ??= new Blob([readFileSync(path)])));
}
