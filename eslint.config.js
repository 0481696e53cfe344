// Lint configuration: type-aware rules as errors, and the layer rules of ARCHITECTURE.md as import zones.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const connectorSrc = 'packages/connector/src';

/**
 * The codemap of ARCHITECTURE.md, "may import" column: the folders each folder of the connector may import.
 * `types` lists those it may import types from only. A test (src/architecture.test.ts) plants every import this
 * forbids and checks lint fails, and checks this table against ARCHITECTURE.md. cli/ and main.ts import anything.
 */
export const CODEMAP = {
  errors: { may: [], types: [] },
  config: { may: ['errors'], types: [] },
  logging: { may: ['errors'], types: [] },
  domain: { may: ['errors'], types: [] },
  services: { may: ['domain', 'errors'], types: ['logging'] },
  salesforce: { may: ['domain', 'errors', 'logging'], types: ['config'] },
  crypto: { may: ['domain', 'errors', 'logging'], types: [] },
  setup: { may: ['domain', 'errors'], types: [] },
  store: { may: ['domain', 'errors', 'logging'], types: ['config'] },
  jobs: { may: ['domain', 'errors', 'logging'], types: [] },
  http: { may: ['services', 'domain', 'errors', 'logging'], types: [] },
  notify: { may: ['domain', 'errors', 'logging'], types: [] },
  search: { may: ['domain', 'errors'], types: [] },
  mcp: { may: ['services', 'http', 'domain', 'errors', 'logging'], types: [] },
};
const FOLDERS = [...Object.keys(CODEMAP), 'cli'];

const sources = (name) => [`**/${name}/*`, `../${name}`, `../../${name}`];

/** Forbid a folder every import of ARCHITECTURE.md's codemap does not allow it (tests beside the code may wire). */
function layer(folder) {
  const { may, types } = CODEMAP[folder];
  const forbidden = FOLDERS.filter((name) => name !== folder && !may.includes(name) && !types.includes(name));
  const patterns = [
    ...forbidden.map((name) => ({
      group: sources(name),
      message: `${folder}/ may not import ${name}/ (see ARCHITECTURE.md).`,
    })),
    ...types.map((name) => ({
      group: sources(name),
      allowTypeImports: true,
      message: `${folder}/ may import only types from ${name}/ (see ARCHITECTURE.md).`,
    })),
  ];
  return {
    files: [`${connectorSrc}/${folder}/**/*.ts`],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    },
  };
}

/**
 * ARCHITECTURE.md invariant 7: every error raised on purpose is an AppError with a registered code (an
 * InvariantError for a can't-happen state). Checked by packages/connector/src/raised-errors.test.ts.
 */
export const PLAIN_ERROR_SELECTORS = [
  {
    selector: "NewExpression[callee.name='Error']",
    message:
      'Raise an AppError with a registered code (errors/codes/), or an InvariantError for a can\u2019t-happen state.',
  },
  {
    selector: "CallExpression[callee.name='Error']",
    message:
      'Raise an AppError with a registered code (errors/codes/), or an InvariantError for a can\u2019t-happen state.',
  },
];

/**
 * ARCHITECTURE.md invariant 1 and its clock rule: every read of time goes through an injected Clock. The one system
 * clock of each package (connector src/system-clock.ts, emulator src/clock.ts) says why with an eslint-disable
 * comment. Checked by packages/connector/src/clock-reads.test.ts.
 */
export const CLOCK_READ_SELECTORS = [
  {
    selector: "MemberExpression[object.name='Date'][property.name='now']",
    message: 'Read time from the injected Clock (clock.now()), not Date.now.',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read time from the injected Clock (clock.now()), not new Date() without an argument.',
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: 'Read time from the injected Clock (clock.now()), not Date().',
  },
];

export const SOURCE_RULES = [
  {
    files: [`${connectorSrc}/**/*.ts`],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: { 'no-restricted-syntax': ['error', ...PLAIN_ERROR_SELECTORS, ...CLOCK_READ_SELECTORS] },
  },
  {
    files: ['packages/emulator/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CLOCK_READ_SELECTORS] },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'tmp-*/**',
      'packages/*/.test-cli-*/**',
      'tools/sf-cli/**',
      '**/dist/**',
      'packages/*/bin/**',
    ],
  },
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
  ...Object.keys(CODEMAP).map(layer),
  ...SOURCE_RULES,
);
