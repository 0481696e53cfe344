// Lint with one rule of eslint.config.js, on planted code or on the real source, without type information (the
// rules checked this way need none, so a planted file need not belong to the TS project). Used by the tests that
// prove a boundary of ARCHITECTURE.md is held by lint: src/architecture.test.ts, src/raised-errors.test.ts,
// src/clock-reads.test.ts.

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface RuleLinter {
  /** the messages of the rule for `code` as if it were the file `filePath` (relative to the repository) */
  planted(filePath: string, code: string): Promise<string[]>;
  /** `file: line: message` for every finding of the rule in the files matching `patterns` */
  files(patterns: string[]): Promise<string[]>;
  /** `place (form)` for every planted form of `forms` that the rule lets through at one of `places` */
  escaped(places: readonly string[], forms: Readonly<Record<string, string>>): Promise<string[]>;
}

export function ruleLinter(rule: string | readonly string[]): RuleLinter {
  const rules: readonly string[] = typeof rule === 'string' ? [rule] : rule;
  const isRule = (id: string | null): boolean => id !== null && rules.includes(id);
  const eslint = new ESLint({
    cwd: repoRoot,
    ruleFilter: ({ ruleId: id }) => isRule(id),
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
  const linter: RuleLinter = {
    async planted(filePath, code) {
      const [result] = await eslint.lintText(code, { filePath });
      assert.ok(result, `${filePath} is linted`);
      assert.deepEqual(
        result.messages.filter((m) => m.fatal === true),
        [],
        `the planted ${filePath} parses`,
      );
      return result.messages.filter((m) => isRule(m.ruleId)).map((m) => m.message);
    },
    async files(patterns) {
      const results = await eslint.lintFiles(patterns);
      return results.flatMap((r) =>
        r.messages
          .filter((m) => isRule(m.ruleId) || m.fatal === true)
          .map((m) => `${r.filePath.slice(repoRoot.length)}:${m.line}: ${m.message}`),
      );
    },
    async escaped(places, forms) {
      const through: string[] = [];
      for (const place of places)
        for (const [form, code] of Object.entries(forms))
          if ((await linter.planted(place, code)).length === 0) through.push(`${place} (${form})`);
      return through;
    },
  };
  return linter;
}

/** the folders directly under `dir` (relative to the repository), e.g. every area of a package's src */
export function foldersOf(dir: string): string[] {
  const full = join(repoRoot, dir);
  return readdirSync(full)
    .filter((name) => statSync(join(full, name)).isDirectory())
    .sort();
}

/** every folder under `dir`, at any depth, relative to `dir` (`domain`, `domain/tickets`...) */
export function foldersUnder(dir: string): string[] {
  return foldersOf(dir)
    .flatMap((name) => [name, ...foldersUnder(`${dir}/${name}`).map((sub) => `${name}/${sub}`)])
    .sort();
}
