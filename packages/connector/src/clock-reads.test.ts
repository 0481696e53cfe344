// Every read of time goes through the injected Clock (ARCHITECTURE.md invariant 1 and "Invariants: the clock"), held
// by lint in both packages: `Date.now`, `new Date()` without an argument and `Date()` planted in any folder of either
// src (or a top-level file) fail lint (no-restricted-syntax in eslint.config.js); `new Date(ms)` and `clock.now()`
// pass; the two system clocks are excused by an eslint-disable comment saying why (`npm run lint` holds the real files).
// Kept mutant: mutants/clock-read-lint-gap.patch.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { foldersOf, repoRoot, ruleLinter } from '../test/helpers/planted-lint.js';

const RULE = 'no-restricted-syntax';
const PACKAGES = { connector: 'packages/connector/src', emulator: 'packages/emulator/src' };
const lint = ruleLinter(RULE);

const PLANTED = {
  'Date.now()': 'export const planted = (): number => Date.now();\n',
  'Date.now passed on': 'export const planted: () => number = Date.now;\n',
  'new Date()': 'export const planted = (): Date => new Date();\n',
  'new Date': '// prettier-ignore\nexport const planted = (): Date => new Date;\n',
  'Date()': 'export const planted = (): string => Date();\n',
};

void test('a clock read planted in any folder of either package, or a top-level file, fails lint', async () => {
  const places = [
    ...foldersOf(PACKAGES.connector).map((f) => `${PACKAGES.connector}/${f}/planted-clock.ts`),
    `${PACKAGES.connector}/main.ts`,
    ...foldersOf(PACKAGES.emulator).map((f) => `${PACKAGES.emulator}/${f}/planted-clock.ts`),
    `${PACKAGES.emulator}/start.ts`,
  ];
  assert.ok(places.length > 25, `the folders of both src: ${places.join(', ')}`);
  assert.deepEqual(await lint.escaped(places, PLANTED), [], 'clock reads that lint let through');
});

void test('time from a Clock, or a Date made from a given instant, passes lint; so does a test file', async () => {
  const fine = [
    "import type { Clock } from '../domain/clock-ports.js';",
    'export const at = (clock: Clock): number => clock.now().getTime();',
    "export const parsed = new Date('2026-01-01T00:00:00Z');",
    'export const later = (clock: Clock): Date => new Date(clock.now().getTime() + 1000);',
    '',
  ].join('\n');
  assert.deepEqual(await lint.planted(`${PACKAGES.connector}/services/planted-clock.ts`, fine), []);
  assert.deepEqual(
    await lint.planted(`${PACKAGES.emulator}/org/planted-clock.test.ts`, PLANTED['Date.now()']),
    [],
  );
});

void test('the two system clocks are the only excused reads, each saying why', () => {
  const excusing = Object.values(PACKAGES)
    .flatMap((src) =>
      readdirSync(`${repoRoot}${src}`, { recursive: true, encoding: 'utf8' }).map((f) => `${src}/${f}`),
    )
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => /eslint-disable.*no-restricted-syntax/.test(readFileSync(`${repoRoot}${f}`, 'utf8')));
  assert.deepEqual(excusing.sort(), [
    `${PACKAGES.connector}/system-clock.ts`,
    `${PACKAGES.emulator}/clock.ts`,
  ]);
  for (const file of [`${PACKAGES.connector}/system-clock.ts`, `${PACKAGES.emulator}/clock.ts`]) {
    const text = readFileSync(`${repoRoot}${file}`, 'utf8');
    const excused = text.match(/eslint-disable-next-line no-restricted-syntax -- (.+)/g) ?? [];
    assert.equal(excused.length, 1, `${file} has one excused clock read, with its reason`);
  }
});
