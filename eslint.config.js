// Lint configuration: type-aware rules as errors, and the layer rules of ARCHITECTURE.md as import zones.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const connectorSrc = 'packages/connector/src';

/** Forbid a folder from importing the listed sibling folders (the layer rules in ARCHITECTURE.md). */
function layer(folder, forbidden) {
  return {
    files: [`${connectorSrc}/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((name) => ({
            group: [`**/${name}/*`, `../${name}`, `../../${name}`],
            message: `${folder}/ may not import ${name}/ (see ARCHITECTURE.md).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'tmp-*/**', 'tools/sf-cli/**', '**/dist/**', 'packages/*/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after'],
              package: 'node:test',
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      // keep disableTypeChecked's parser options: plain JS files belong to no tsconfig project
      parserOptions: { projectService: false, project: false, program: null },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['packages/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['casebridge', '**/connector/**'],
              message: 'The emulator never imports connector code.',
            },
          ],
        },
      ],
    },
  },
  layer('errors', [
    'config',
    'logging',
    'domain',
    'services',
    'salesforce',
    'store',
    'http',
    'cli',
    'jobs',
    'crypto',
  ]),
  layer('domain', [
    'config',
    'services',
    'salesforce',
    'store',
    'http',
    'cli',
    'jobs',
    'crypto',
    'notify',
    'search',
  ]),
  layer('services', ['salesforce', 'store', 'http', 'cli', 'jobs', 'search']),
  layer('salesforce', ['services', 'store', 'http', 'cli', 'jobs']),
  layer('store', ['services', 'salesforce', 'http', 'cli', 'jobs']),
  layer('crypto', ['config', 'setup', 'services', 'salesforce', 'store', 'http', 'cli', 'jobs']),
  layer('setup', ['config', 'logging', 'crypto', 'services', 'salesforce', 'store', 'http', 'cli', 'jobs']),
  layer('http', ['salesforce', 'store', 'cli', 'jobs']),
  layer('jobs', ['services', 'salesforce', 'http', 'cli', 'crypto', 'setup']),
  layer('notify', ['config', 'services', 'salesforce', 'store', 'http', 'cli', 'jobs', 'crypto', 'setup']),
  // the search engine: indexing and ranking behind the knowledge ports; no Salesforce, store or service code
  layer('search', ['config', 'services', 'salesforce', 'store', 'http', 'cli', 'jobs', 'crypto', 'setup']),
);
