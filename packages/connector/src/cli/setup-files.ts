// Writes the setup package (`casebridge setup --package DIR`) to disk: a new or empty directory, or an existing
// package replaced only with force, so an admin's edited copy is never overwritten by surprise.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';

import { appError } from '../errors/app-error.js';
import { CLI_USAGE } from '../errors/codes/admin.js';
import type { SetupPackageFiles } from '../setup/metadata-package.js';
import { InvariantError } from '../errors/invariant-error.js';

export interface WrittenSetupPackage {
  dir: string;
  files: string[];
}

export function writeSetupPackage(
  dir: string,
  files: SetupPackageFiles,
  options: { force?: boolean } = {},
): WrittenSetupPackage {
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0 && !options.force) {
    throw appError(CLI_USAGE, {
      params: {
        summary: `${root} is not empty; choose a new directory or pass --force to overwrite the package files in it`,
      },
    });
  }
  const written: string[] = [];
  for (const [relative, content] of Object.entries(files)) {
    // the paths come from buildSetupPackage, but a path escaping the directory would be a bug worth stopping
    const clean = normalize(relative);
    if (isAbsolute(clean) || clean.startsWith(`..${sep}`) || clean === '..') {
      throw new InvariantError(`setup package path escapes its directory: ${relative}`);
    }
    const path = join(root, clean);
    mkdirSync(dirname(path), { recursive: true });
    // public content (certificate, names): ordinary 0644 files the admin may edit and commit
    writeFileSync(path, content, { mode: 0o644 });
    written.push(clean);
  }
  return { dir: root, files: written.sort() };
}
