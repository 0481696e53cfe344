// Rules every piece of outside input obeys before it goes further: no NUL byte (PostgreSQL text cannot hold one,
// so it would surface as a database error instead of a bad-input error) and no `__proto__`, `constructor` or
// `prototype` key (they change object prototypes when merged). Checked iteratively, so a deeply nested document
// cannot overflow the stack.

export interface InputProblem {
  /** where in the input, e.g. `settings.caseDefaults.Subject` or `(body)` */
  path: string;
  message: string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const NUL_MESSAGE = 'contains a NUL byte (\\u0000), which casebridge never accepts';

/** Control characters that have no place in a one-line value (names, usernames, ids, settings). */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** The first NUL byte or forbidden key found in `value` (strings, arrays, plain objects), or null. */
export function findUnsafeInput(value: unknown, root = ''): InputProblem | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    const at = item.path || '(body)';
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return { path: at, message: NUL_MESSAGE };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const entries: [string, unknown][] = Array.isArray(item.value)
      ? item.value.map((inner, index): [string, unknown] => [String(index), inner])
      : Object.entries(item.value);
    for (const [key, inner] of entries) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (!Array.isArray(item.value)) {
        if (key.includes('\u0000')) return { path, message: `the key ${NUL_MESSAGE}` };
        if (FORBIDDEN_KEYS.has(key))
          return { path, message: `"${key}" is not an accepted key (it would change object prototypes)` };
      }
      stack.push({ value: inner, path });
    }
  }
  return null;
}
