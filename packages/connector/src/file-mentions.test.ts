// Comments and docs send readers to files by name ("see domain/sync-cursor.ts"); after a file is split, renamed or
// removed, such a pointer leads nowhere. Every `.ts` file a comment or a page names must exist, and so must every
// path into the connector's source folders (`cli/wiring` once named a folder that never existed).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'sf-cli', 'data']);
const CONNECTOR_FOLDERS =
  'cli|config|crypto|domain|errors|http|jobs|logging|mcp|notify|salesforce|search|services|setup|store';

/** A `.ts` name as prose writes it: `gateway.ts`, `domain/ports.ts`, `../fakes/x.ts`; not globs or templates. */
const TS_NAME = /(?<![\w./*<>{}$…-])((?:\.{1,2}\/)?[\w@-][\w./-]*\.ts)\b(?![\w-])/g;
/** A path into one of the connector's source folders, with or without an extension: `store/repositories/`. */
const FOLDER_PATH = new RegExp(
  `(?<![\\w./*<>{}$:@-])((?:${CONNECTOR_FOLDERS})(?:/[\\w.-]+)+)/?(?![\\w/-])`,
  'g',
);

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    // .test-cli-*: a test run's CLI bundle (scripts/run-tests.mjs; git-ignored), npm packages' comments included
    if (entry.name.startsWith('tmp-') || entry.name.startsWith('.test-cli-') || SKIP_DIRS.has(entry.name))
      continue;
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const files = walk('', []);
const known = new Set(files);
const folders = new Set(files.flatMap((f) => ancestorsOf(f)));
const basenames = new Set(files.map((f) => basename(f)));

/** `a/b/c.ts` → `a/b`, `a`, '' (the directories a relative mention may start from). */
function ancestorsOf(file: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(file); dir !== '.'; dir = dirname(dir)) out.push(dir);
  return [...out, ''];
}

/** The comment text of a source line, or the whole line of a page. */
function proseOf(file: string, line: string): string | null {
  if (file.endsWith('.md')) return line;
  const comment = /(?:\/\/|\/\*|^\s*\*)(.*)$/.exec(line);
  return comment?.[1] ?? null;
}

/** Resolves a mention from the mentioning file's folders and from each package's root, source and test folders. */
function exists(file: string, mention: string): boolean {
  if (!mention.includes('/')) return basenames.has(mention);
  const roots = [
    ...ancestorsOf(file),
    ...['connector', 'emulator'].flatMap((p) => [`packages/${p}`, `packages/${p}/src`, `packages/${p}/test`]),
  ];
  return roots.some((root) => {
    const path = normalize(join(root, mention));
    return (
      known.has(path) ||
      folders.has(path) ||
      known.has(`${path}.ts`) ||
      known.has(path.replace(/\.js$/, '.ts'))
    );
  });
}

/** Every mention that names nothing, as `file:line: mention`. */
function deadMentions(pages: readonly string[], read: (file: string) => string): string[] {
  const dead: string[] = [];
  for (const file of pages) {
    const inConnector = !file.startsWith('packages/emulator/');
    read(file)
      .split('\n')
      .forEach((line, i) => {
        const prose = proseOf(file, line);
        if (prose === null) return;
        const mentions = new Set([...prose.matchAll(TS_NAME)].map((m) => m[1] ?? ''));
        if (inConnector)
          for (const m of prose.matchAll(FOLDER_PATH)) {
            const path = (m[1] ?? '').replace(/[./]+$/, '');
            if (!path.endsWith('.ts')) mentions.add(path);
          }
        for (const mention of mentions)
          if (!mention.endsWith('.d.ts') && !exists(file, mention)) dead.push(`${file}:${i + 1}: ${mention}`);
      });
  }
  return dead;
}

/** Every page and source file but this one, whose planted mentions name nothing on purpose. */
const sources = files.filter((f) => /\.(ts|mjs|md)$/.test(f) && !f.endsWith('/file-mentions.test.ts'));

void test('every file a comment or a doc names exists', () => {
  assert.deepEqual(
    deadMentions(sources, (f) => readFileSync(join(ROOT, f), 'utf8')),
    [],
  );
});

void test('a comment naming a missing file, or a missing source folder path, is found', () => {
  const planted: Record<string, string> = {
    'packages/connector/src/salesforce/planted.ts':
      '// see gateway.ts, ../domain/ports.ts and domain/sync-cursor.ts\n' +
      '// moved to gateway-reads.ts and domain/no-such-ports.ts, wired in cli/wiring\n' +
      "const path = 'not-a-comment.ts';\n",
    'docs/planted.md': 'The `store/repositories/` folder and `salesforce/old-gateway.ts`.\n',
  };
  assert.deepEqual(
    deadMentions(Object.keys(planted), (f) => planted[f] ?? ''),
    [
      'packages/connector/src/salesforce/planted.ts:2: gateway-reads.ts',
      'packages/connector/src/salesforce/planted.ts:2: domain/no-such-ports.ts',
      'packages/connector/src/salesforce/planted.ts:2: cli/wiring',
      'docs/planted.md:1: salesforce/old-gateway.ts',
    ],
  );
});
