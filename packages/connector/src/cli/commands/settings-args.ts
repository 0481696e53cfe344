// Turns `--set a.b=value` assignments into a nested settings patch. Values that parse as JSON (numbers, booleans,
// arrays) are taken as such; a comma list becomes an array for the list settings.

import { appError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';

const LIST_SETTINGS = new Set([
  'knowledge.bodyFields',
  'monitor.statuses',
  'monitor.origins',
  'monitor.recordTypes',
  'monitor.ownerQueues',
]);

function parseValue(path: string, raw: string): unknown {
  if (LIST_SETTINGS.has(path)) return raw === '' ? [] : raw.split(',').map((item) => item.trim());
  if (/^(true|false|-?\d+(\.\d+)?)$/.test(raw) && path !== 'apiVersion') return JSON.parse(raw) as unknown;
  return raw;
}

export function parseSettingAssignments(assignments: string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0)
      throw appError(CLI_USAGE, { params: { summary: `--set expects key=value, got "${assignment}"` } });
    const path = assignment.slice(0, eq);
    const keys = path.split('.');
    let node = patch;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      node[key] = typeof next === 'object' && next !== null ? next : {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] ?? path] = parseValue(path, assignment.slice(eq + 1));
  }
  return patch;
}
