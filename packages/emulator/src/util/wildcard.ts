// Wildcard matching for SOQL LIKE (% and _) and SOSL terms (* and ?), without regular expressions: a pattern such
// as '%_%_%_…%@@' compiled to a RegExp backtracks exponentially and froze the whole emulator for minutes on one
// query. This is the classic greedy matcher with one backtrack point: O(pattern × text) at worst.

export type WildToken = { kind: 'any' } | { kind: 'one' } | { kind: 'char'; ch: string };

/** Something that tests a string, like a RegExp. */
export interface Matcher {
  test(text: string): boolean;
}

function sameChar(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/** Does the whole of `text` match the pattern? Case-insensitive, by Unicode code point. */
export function wildcardMatch(pattern: readonly WildToken[], text: string): boolean {
  const chars = Array.from(text);
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < chars.length) {
    const tok = pattern[p];
    if (
      tok !== undefined &&
      (tok.kind === 'one' || (tok.kind === 'char' && sameChar(tok.ch, chars[t] ?? '')))
    ) {
      p++;
      t++;
    } else if (tok?.kind === 'any') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p]?.kind === 'any') p++;
  return p === pattern.length;
}

/** A matcher for `pattern`; consecutive "any" wildcards are collapsed (they mean the same). */
export function wildcardMatcher(pattern: readonly WildToken[]): Matcher {
  const tokens = pattern.filter((tok, i) => !(tok.kind === 'any' && pattern[i - 1]?.kind === 'any'));
  return { test: (text) => wildcardMatch(tokens, text) };
}
