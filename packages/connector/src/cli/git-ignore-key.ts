// A private key written inside a git work tree is one `git add .` away from a commit. keygen writes a .gitignore
// beside the key (when the key folder is its own folder, not the work tree's root, whose .gitignore is the
// user's to edit) and says what it did or what line to add.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The root of the git work tree holding `dir` (a `.git` directory or file in it or an ancestor), or null. */
export function gitWorkTreeOf(dir: string): string | null {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

export interface KeyIgnoreOutcome {
  workTree: string;
  /** the .gitignore written, or null when the user must add `line` */
  wrote: string | null;
  line: string;
}

/** Keeps `keyFile` out of git when it lies in a work tree; null when it does not. */
export function ignoreKeyInGit(keyFile: string): KeyIgnoreOutcome | null {
  const dir = dirname(resolve(keyFile));
  const workTree = gitWorkTreeOf(dir);
  if (workTree === null) return null;
  const base = resolve(keyFile).slice(dir.length + 1);
  const ignore = join(dir, '.gitignore');
  const line = `/${relative(workTree, resolve(keyFile)).split('\\').join('/')}`;
  if (dir !== workTree) {
    const existing = existsSync(ignore) ? readFileSync(ignore, 'utf8') : null;
    if (existing === null) {
      writeFileSync(ignore, `# private keys: never commit\n${base}\n`, { mode: 0o644 });
      return { workTree, wrote: ignore, line: base };
    }
    if (existing.split('\n').some((l) => l.trim() === base || l.trim() === `/${base}`))
      return { workTree, wrote: null, line: base };
  }
  return { workTree, wrote: null, line };
}
