// No import circle in either package's src, type-only imports included (issue 7, "Boundaries the tools enforce"):
// the strongly connected components of each module graph are all single files. A circle through `import type`
// still ties two files' designs together; break one with a narrower interface or a type in its own file (as
// domain/object-description.ts did for domain/gateway-ports.ts, domain/tenant.ts and domain/bot/filing-rules.ts). Tests are left out:
// they may import anything they exercise. Kept mutant: mutants/port-import-circle.patch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { importCircles, importGraph } from '../../../tools/import-graph/index.js';

const SOURCES = {
  connector: fileURLToPath(new URL('.', import.meta.url)),
  emulator: fileURLToPath(new URL('../../emulator/src/', import.meta.url)),
};

for (const [name, root] of Object.entries(SOURCES)) {
  void test(`the ${name} source has no import circle, type-only imports included`, () => {
    const graph = importGraph(root);
    assert.ok(graph.size > 100, `read ${graph.size} files`);
    assert.deepEqual(importCircles(graph), [], 'files that import each other, directly or through others');
  });
}

void test('type-only imports and re-exports are edges of the graph', () => {
  const graph = importGraph(SOURCES.connector);
  // `import type { ObjectDescription }` only
  assert.ok(graph.get('domain/bot/filing-rules.ts')?.includes('domain/object-description.ts'));
  // `export type * from './gateway-ports.js'`
  assert.ok(graph.get('domain/ports.ts')?.includes('domain/gateway-ports.ts'));
});
