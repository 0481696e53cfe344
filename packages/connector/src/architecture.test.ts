// The layer rules of ARCHITECTURE.md are enforced by lint, exactly, in both packages. Connector: the lint zones equal
// the codemap's "may import" column; every folder of src on disk is a row of the codemap; and from every folder (and
// each of its subfolders) each import the codemap forbids, planted in a copy of a file there, fails lint, while each
// import it allows passes (type-only where the codemap says "(types)"); main.ts and system-clock.ts are imported only
// by cli/ (and main.ts); main.ts and cli/ import anything. Emulator: every folder on disk is a row of its codemap;
// the org data engine named there is the engine lint knows; a connector import fails from every folder and top-level
// file; an engine folder importing any other folder but util/ fails. Kept mutant: mutants/lint-zone-gap.patch.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { foldersOf, foldersUnder, repoRoot, ruleLinter } from '../test/helpers/planted-lint.js';

const RULE = '@typescript-eslint/no-restricted-imports';
const EMULATOR_RULE = 'no-restricted-imports';
const CONNECTOR = 'packages/connector/src';
const EMULATOR = 'packages/emulator/src';

interface Zone {
  may: string[];
  types: string[];
}

function section(start: string, end: string): string {
  const text = readFileSync(`${repoRoot}ARCHITECTURE.md`, 'utf8');
  const from = text.indexOf(start);
  assert.ok(from >= 0, `ARCHITECTURE.md has "${start}"`);
  const to = end === '' ? text.length : text.indexOf(end, from);
  return text.slice(from, to < 0 ? text.length : to);
}

/**
 * The connector codemap rows of ARCHITECTURE.md, folders and subfolders (`domain/tickets`): what each may import.
 * cli/ ("everything, through main.ts") is left out: it imports anything.
 */
function connectorCodemap(): Record<string, Zone> {
  const zones: Record<string, Zone> = {};
  const rows = section('## Codemap: `packages/connector/src`', '## Codemap: `packages/emulator/src`');
  for (const line of rows.split('\n')) {
    const row = /^\| `([a-z-]+(?:\/[a-z-]+)*)\/` \|.*\| ([^|]+) \|$/.exec(line);
    if (row === null) continue;
    const [, folder, mayText] = row as unknown as [string, string, string];
    if (mayText.startsWith('everything')) continue;
    const zone: Zone = { may: [], types: [] };
    for (const part of mayText.split(',').map((p) => p.trim())) {
      if (part === 'nothing' || part === '') continue;
      const typed = /^([a-z]+) \(types\)$/.exec(part);
      if (typed?.[1] !== undefined) zone.types.push(typed[1]);
      else zone.may.push(part);
    }
    zones[folder] = zone;
  }
  return zones;
}

const topZones = (zones: Record<string, Zone>) =>
  Object.fromEntries(Object.entries(zones).filter(([folder]) => !folder.includes('/')));

/** the folder rows of the emulator codemap (its first column) */
function emulatorCodemapFolders(): string[] {
  const rows = section('## Codemap: `packages/emulator/src`', '\n## ');
  return [...rows.matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1] as string).sort();
}

/** the folders the emulator codemap's paragraph names as the org data engine */
function emulatorEngineOfArchitecture(): string[] {
  const rows = section('## Codemap: `packages/emulator/src`', '\n## ');
  const sentence = /the org data engine \(([^)]+)\)/.exec(rows)?.[1] ?? '';
  return [...sentence.matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1] as string).sort();
}

const sorted = (zones: Record<string, Zone>) =>
  Object.fromEntries(
    Object.entries(zones)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, { may: [...v.may].sort(), types: [...v.types].sort() }]),
  );

/** the folders on disk and the codemap's rows name the same folders, each difference named */
function assertSameFolders(onDisk: readonly string[], listed: readonly string[]): void {
  assert.deepEqual(
    onDisk.filter((folder) => !listed.includes(folder)),
    [],
    'folders ARCHITECTURE.md does not list',
  );
  assert.deepEqual(
    listed.filter((folder) => !onDisk.includes(folder)),
    [],
    'codemap rows without a folder',
  );
}

void test('the lint zones say exactly what ARCHITECTURE.md\u2019s codemap says', async () => {
  const { CODEMAP } = (await import(`${repoRoot}eslint.config.js`)) as { CODEMAP: Record<string, Zone> };
  assert.deepEqual(sorted(CODEMAP), sorted(topZones(connectorCodemap())));
});

void test('every folder of connector src is a row of the codemap, and every row is a folder', () => {
  const zones = connectorCodemap();
  const onDisk = foldersOf(CONNECTOR);
  const listed = [...Object.keys(topZones(zones)), 'cli'].sort();
  assertSameFolders(onDisk, listed);
  const subRows = Object.keys(zones).filter((folder) => folder.includes('/'));
  const sub = foldersUnder(CONNECTOR);
  assert.deepEqual(
    subRows.filter((folder) => !sub.includes(folder)),
    [],
    'subfolder rows without a folder',
  );
});

void test('every import the codemap forbids, planted in each folder and subfolder, fails lint; every allowed one passes', async () => {
  const zones = connectorCodemap();
  const top = topZones(zones);
  const folders = [...Object.keys(top), 'cli'];
  const lint = ruleLinter(RULE);
  const escaped: string[] = [];
  const refused: string[] = [];
  const places = foldersUnder(CONNECTOR).filter((folder) => folder.split('/')[0] !== 'cli');
  assert.ok(places.length > Object.keys(top).length, `folders and subfolders: ${places.join(', ')}`);
  for (const place of places) {
    // a subfolder keeps its own row when the codemap has one, else its folder's
    const owner = place.split('/')[0] as string;
    const zone = zones[place] ?? zones[owner];
    assert.ok(zone, `${place} has a codemap row`);
    const up = '../'.repeat(place.split('/').length);
    const file = `${CONNECTOR}/${place}/planted-import.ts`;
    const targets = [
      ...folders
        .filter((t) => t !== owner)
        .map((t) => ({ name: t, spec: `${up}${t}/planted.js`, composes: false })),
      { name: 'main.ts', spec: `${up}main.js`, composes: true },
      { name: 'system-clock.ts', spec: `${up}system-clock.js`, composes: true },
    ];
    for (const target of targets) {
      const value = await lint.planted(
        file,
        `import { planted } from '${target.spec}';\nexport const again = planted;\n`,
      );
      const typeOnly = await lint.planted(
        file,
        `import type { Planted } from '${target.spec}';\nexport type Again = Planted;\n`,
      );
      const allowed = !target.composes && zone.may.includes(target.name);
      const typesAllowed = allowed || (!target.composes && zone.types.includes(target.name));
      if (!allowed && value.length === 0) escaped.push(`${place} → ${target.name}`);
      if (allowed && value.length > 0) refused.push(`${place} → ${target.name}`);
      if (!typesAllowed && typeOnly.length === 0) escaped.push(`${place} → ${target.name} (types)`);
      if (typesAllowed && typeOnly.length > 0) refused.push(`${place} → ${target.name} (types)`);
    }
  }
  // main.ts and cli/ compose: they import anything
  for (const file of [
    `${CONNECTOR}/main.ts`,
    `${CONNECTOR}/cli/planted-import.ts`,
    `${CONNECTOR}/cli/commands/x.ts`,
  ]) {
    const up = '../'.repeat(file.split('/').length - 4);
    for (const target of [...folders, 'main', 'system-clock']) {
      const spec =
        target === 'main' || target === 'system-clock' ? `${up}${target}.js` : `${up}${target}/planted.js`;
      const found = await lint.planted(
        file,
        `import { planted } from '${spec}';\nexport const again = planted;\n`,
      );
      if (found.length > 0 && !(file.endsWith('main.ts') && target === 'main'))
        refused.push(`${file} → ${spec}`);
    }
  }
  assert.deepEqual(escaped, [], 'forbidden imports that lint let through');
  assert.deepEqual(refused, [], 'allowed imports that lint refused');
});

void test('every folder of emulator src is a row of its codemap, and its engine is the one lint knows', async () => {
  const { EMULATOR_ENGINE } = (await import(`${repoRoot}eslint.config.js`)) as {
    EMULATOR_ENGINE: { folders: string[]; may: string[] };
  };
  const listed = emulatorCodemapFolders();
  const onDisk = foldersOf(EMULATOR);
  assertSameFolders(onDisk, listed);
  assert.deepEqual([...EMULATOR_ENGINE.folders].sort(), emulatorEngineOfArchitecture());
});

void test('from every emulator folder a connector import fails lint; the engine imports no folder but its own and util/', async () => {
  const { EMULATOR_ENGINE } = (await import(`${repoRoot}eslint.config.js`)) as {
    EMULATOR_ENGINE: { folders: string[]; may: string[] };
  };
  const lint = ruleLinter(EMULATOR_RULE);
  const folders = foldersOf(EMULATOR);
  const escaped: string[] = [];
  const refused: string[] = [];
  const places = [...foldersUnder(EMULATOR).map((f) => `${f}/planted-import.ts`), 'start.ts', 'index.ts'];
  for (const place of places) {
    const file = `${EMULATOR}/${place}`;
    const up = '../'.repeat(place.split('/').length - 1);
    for (const spec of [
      'casebridge',
      `${up}../../connector/src/main.js`,
      `${up}../../connector/src/domain/ports.js`,
    ])
      for (const code of [
        `import { planted } from '${spec}';\nexport const again = planted;\n`,
        `import type { Planted } from '${spec}';\nexport type Again = Planted;\n`,
      ])
        if ((await lint.planted(file, code)).length === 0) escaped.push(`${place} → ${spec}`);
    const owner = place.split('/')[0] as string;
    if (!place.includes('/')) continue;
    const inEngine = EMULATOR_ENGINE.folders.includes(owner);
    for (const target of folders.filter((t) => t !== owner)) {
      const allowed =
        !inEngine || EMULATOR_ENGINE.folders.includes(target) || EMULATOR_ENGINE.may.includes(target);
      for (const code of [
        `import { planted } from '${up}${target}/planted.js';\nexport const again = planted;\n`,
        `import type { Planted } from '${up}${target}/planted.js';\nexport type Again = Planted;\n`,
      ]) {
        const found = await lint.planted(file, code);
        if (!allowed && found.length === 0) escaped.push(`${place} → ${target}`);
        if (allowed && found.length > 0) refused.push(`${place} → ${target}`);
      }
    }
  }
  assert.deepEqual(escaped, [], 'forbidden imports that lint let through');
  assert.deepEqual(refused, [], 'allowed imports that lint refused');
});
