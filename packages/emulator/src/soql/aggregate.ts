// Aggregate queries: COUNT(field), COUNT_DISTINCT, SUM, AVG, MIN, MAX with optional GROUP BY, returning
// AggregateResult rows keyed by alias or expr0, expr1... (salesforce.md 2.4, 4.1).

import type { SObjectRecord } from '../org/contract.js';
import type { StoredRecord } from '../org/store.js';
import { sortRows, scanRows, type ExecEnv } from './execute.js';
import type { AggregateItem, Plan } from './plan.js';
import { pathReader } from './resolve.js';

function aggregateValue(agg: AggregateItem, rows: StoredRecord[], env: ExecEnv): unknown {
  if (!agg.path) return rows.length;
  const read = pathReader(agg.path, env.store);
  const values = rows.map((r) => read(r.fields)).filter((v) => v !== null && v !== undefined);
  switch (agg.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    case 'SUM':
      return values.length === 0 ? null : values.reduce<number>((s, v) => s + Number(v), 0);
    case 'AVG':
      return values.length === 0 ? null : values.reduce<number>((s, v) => s + Number(v), 0) / values.length;
    case 'MIN':
    case 'MAX': {
      if (values.length === 0) return null;
      let best = values[0];
      for (const v of values) {
        const x = v as string | number;
        const b = best as string | number;
        if (agg.fn === 'MIN' ? x < b : x > b) best = v;
      }
      return best;
    }
    default:
      return null;
  }
}

export function aggregateRows(plan: Plan, env: ExecEnv): SObjectRecord[] {
  const rows = scanRows(plan, env);
  const readers = plan.groupBy.map((g) => pathReader(g, env.store));
  const groups = new Map<string, StoredRecord[]>();
  if (readers.length === 0) groups.set('', rows);
  else {
    for (const r of rows) {
      // Grouping on text is case-insensitive; the first value seen names the group.
      const key = JSON.stringify(
        readers.map((read) => {
          const v = read(r.fields);
          return typeof v === 'string' ? v.toLowerCase() : v;
        }),
      );
      const list = groups.get(key);
      if (list) list.push(r);
      else groups.set(key, [r]);
    }
  }
  const out: { rep: StoredRecord | undefined; record: SObjectRecord }[] = [];
  for (const list of groups.values()) {
    const record: SObjectRecord = { attributes: { type: 'AggregateResult' } };
    const rep = list[0];
    plan.groupBy.forEach((g, i) => {
      record[g.field.name] = rep ? (readers[i]?.(rep.fields) ?? null) : null;
    });
    for (const item of plan.items) {
      if (item.kind === 'agg') record[item.agg.key] = aggregateValue(item.agg, list, env);
    }
    out.push({ rep, record });
  }
  const ordered = plan.order.length > 0 ? sortGroups(out, plan) : out;
  const end = plan.limit === undefined ? undefined : plan.offset + plan.limit;
  return ordered.slice(plan.offset, end).map((o) => o.record);
}

function sortGroups(groups: { rep: StoredRecord | undefined; record: SObjectRecord }[], plan: Plan) {
  const reps = groups.filter((g): g is { rep: StoredRecord; record: SObjectRecord } => g.rep !== undefined);
  const sorted = sortRows(
    reps.map((g) => g.rep),
    plan.order,
  );
  const byRep = new Map(reps.map((g) => [g.rep, g]));
  return sorted.map((r) => byRep.get(r)).filter((g) => g !== undefined);
}
