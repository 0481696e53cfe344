// The layer rules of ARCHITECTURE.md are enforced by lint, exactly: the lint zones equal the codemap's "may import"
// column, and for every folder each import the codemap forbids, planted in a copy of a file there, fails lint,
// while each import it allows passes (type-only where the codemap says "(types)").

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const RULE = '@typescript-eslint/no-restricted-imports';

interface Zone {
  may: string[];
  types: string[];
}

/** The connector codemap rows of ARCHITECTURE.md: folder → what it may import (cli/ and main.ts import anything). */
function codemapOfArchitecture(): Record<string, Zone> {
  const text = readFileSync(`${repoRoot}ARCHITECTURE.md`, 'utf8');
  const section = text.slice(
    text.indexOf('## Codemap: `packages/connector/src`'),
    text.indexOf('## Codemap: `packages/emulator/src`'),
  );
  const zones: Record<string, Zone> = {};
  for (const line of section.split('\n')) {
    const row = /^\| `([a-z]+)\/` \|.*\| ([^|]+) \|$/.exec(line);
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

void test('the lint zones say exactly what ARCHITECTURE.md\u2019s codemap says', async () => {
  const { CODEMAP } = (await import(`${repoRoot}eslint.config.js`)) as { CODEMAP: Record<string, Zone> };
  const sorted = (zones: Record<string, Zone>) =>
    Object.fromEntries(
      Object.entries(zones)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, { may: [...v.may].sort(), types: [...v.types].sort() }]),
    );
  assert.deepEqual(sorted(CODEMAP), sorted(codemapOfArchitecture()));
});

void test('every import the codemap forbids, planted in each folder, fails lint; every allowed one passes', async () => {
  const zones = codemapOfArchitecture();
  const folders = [...Object.keys(zones), 'cli'];
  const eslint = new ESLint({
    cwd: repoRoot,
    // Only the zone rule: it needs no type information, so a planted copy need not be part of the TS project.
    ruleFilter: ({ ruleId }) => ruleId === RULE,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
  const lint = async (folder: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, {
      filePath: `packages/connector/src/${folder}/planted-import.ts`,
    });
    assert.ok(result);
    const fatal = result.messages.filter((m) => m.fatal === true);
    assert.deepEqual(fatal, [], 'the planted file parses');
    return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
  };
  const escaped: string[] = [];
  const refused: string[] = [];
  for (const [folder, zone] of Object.entries(zones)) {
    for (const target of folders) {
      if (target === folder) continue;
      const value = await lint(
        folder,
        `import { planted } from '../${target}/planted.js';\nexport const again = planted;\n`,
      );
      const typeOnly = await lint(
        folder,
        `import type { Planted } from '../${target}/planted.js';\nexport type Again = Planted;\n`,
      );
      const allowed = zone.may.includes(target);
      const typesAllowed = allowed || zone.types.includes(target);
      if (!allowed && value.length === 0) escaped.push(`${folder} → ${target}`);
      if (allowed && value.length > 0) refused.push(`${folder} → ${target}`);
      if (!typesAllowed && typeOnly.length === 0) escaped.push(`${folder} → ${target} (types)`);
      if (typesAllowed && typeOnly.length > 0) refused.push(`${folder} → ${target} (types)`);
    }
  }
  assert.deepEqual(escaped, [], 'forbidden imports that lint let through');
  assert.deepEqual(refused, [], 'allowed imports that lint refused');
});
