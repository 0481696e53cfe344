// ARCHITECTURE.md invariant 7, held by lint: every error the connector raises on purpose is an AppError with a
// registered code. A plain `new Error(` (or `Error(`) planted in any folder of src fails lint (no-restricted-syntax
// in eslint.config.js); a coded AppError, an InvariantError and a test file pass (`npm run lint` holds the real files).
// Kept mutant: mutants/plain-error-lint-gap.patch.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { foldersOf, ruleLinter } from '../test/helpers/planted-lint.js';
import { AppError, isAppError } from './errors/app-error.js';
import { INTERNAL_INVARIANT_BROKEN } from './errors/codes/internal.js';
import { InvariantError } from './errors/invariant-error.js';
import { ERROR_REGISTRY } from './errors/registry.js';

const RULE = 'no-restricted-syntax';
const SRC = 'packages/connector/src';
const lint = ruleLinter(RULE);

const PLANTED = {
  thrown: "export function planted(): never {\n  throw new Error('planted');\n}\n",
  rejected: "export const planted = (): Promise<never> => Promise.reject(new Error('planted'));\n",
  called: "export const planted = (): Error => Error('planted');\n",
};

void test('a plain Error planted in any folder of connector src, or in main.ts, fails lint', async () => {
  const places = [...foldersOf(SRC).map((folder) => `${SRC}/${folder}/planted-error.ts`), `${SRC}/main.ts`];
  assert.ok(places.length > 10, `the folders of src: ${places.join(', ')}`);
  assert.deepEqual(await lint.escaped(places, PLANTED), [], 'plain errors that lint let through');
});

void test('a coded AppError, an InvariantError and an Error in a test file pass lint', async () => {
  const coded = [
    "import { appError } from '../errors/app-error.js';",
    "import { JOBS_RUN_FAILED } from '../errors/codes/jobs.js';",
    "import { InvariantError } from '../errors/invariant-error.js';",
    "export const a = (): never => { throw appError(JOBS_RUN_FAILED, { params: { reason: 'x' } }); };",
    "export const b = (): never => { throw new InvariantError('x'); };",
    '',
  ].join('\n');
  assert.deepEqual(await lint.planted(`${SRC}/services/planted-error.ts`, coded), []);
  assert.deepEqual(await lint.planted(`${SRC}/services/planted-error.test.ts`, PLANTED.thrown), []);
});

void test('an InvariantError is an AppError with a registered code, a message and a fix', () => {
  const err = new InvariantError('the bot API operations were not attached (main.ts)');
  assert.ok(err instanceof AppError);
  assert.ok(isAppError(err, 'INTERNAL_INVARIANT_BROKEN'));
  assert.equal(ERROR_REGISTRY.get(err.code), INTERNAL_INVARIANT_BROKEN);
  assert.match(err.message, /treats as impossible: the bot API operations were not attached \(main\.ts\)$/);
  assert.match(err.fix, /bug in casebridge/);
  assert.deepEqual(err.toJSON().error.code, 'INTERNAL_INVARIANT_BROKEN');
});
