import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { importCircles, importGraph } from '../../../tools/import-graph/index.js';

const SRC = fileURLToPath(new URL('.', import.meta.url));

test('the circle finder sees a circle through any number of files, and a file importing itself', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', []],
    ['e.ts', ['e.ts']],
  ]);
  assert.deepEqual(importCircles(graph), [['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
});

test('the emulator source has no import circle, type-only imports included', () => {
  const graph = importGraph(SRC);
  assert.ok(graph.size > 100, `read ${graph.size} files`);
  // type-only imports are edges: org-server imports the OrgServerPlatform type only
  assert.ok(graph.get('http/org-server.ts')?.includes('http/server-platform.ts'));
  assert.deepEqual(importCircles(graph), []);
});

test('the registry sits above HTTP, auth and the control plane: none of them imports the Emulator', () => {
  const graph = importGraph(SRC);
  const importers = [...graph]
    .filter(([, targets]) => targets.includes('registry/emulator.ts'))
    .map(([file]) => file)
    .sort();
  assert.deepEqual(importers, ['index.ts', 'start.ts', 'testing/harness.ts']);
});
