// The `columns=true` query metadata `sf data query` requests before printing results (real-clients.md 3.3):
// one entry per selected column, relationship columns nested through joinColumns.

import type { UserAccess } from '../org/access.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { Plan } from './plan.js';
import type { FieldPath } from './resolve.js';

const APEX_TYPES: Record<string, string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  picklist: 'String',
  multipicklist: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  boolean: 'Boolean',
  datetime: 'Datetime',
  date: 'Date',
  int: 'Integer',
  double: 'Double',
  currency: 'Double',
  percent: 'Double',
};

const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);
const TEXTUAL = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url']);

function fieldColumn(obj: ObjectDef, f: FieldDef, access: UserAccess): Record<string, unknown> {
  return {
    aggregate: false,
    apexType: APEX_TYPES[f.type] ?? 'String',
    booleanType: f.type === 'boolean',
    columnName: f.name,
    custom: f.custom,
    displayName: f.name,
    foreignKeyName: null,
    insertable: f.createable && access.fieldEditable(obj, f),
    joinColumns: [],
    numberType: NUMERIC.has(f.type),
    textType: TEXTUAL.has(f.type),
    updatable: f.updateable && access.fieldEditable(obj, f),
  };
}

/** A relationship column: `Contact.Email` is a Contact column holding an Email join column. */
function pathColumn(path: FieldPath, depth: number, access: UserAccess): Record<string, unknown> {
  if (depth >= path.refs.length) return fieldColumn(path.owner, path.field, access);
  const ref = path.refs[depth] as FieldDef;
  const name = ref.relationshipName ?? ref.name;
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [pathColumn(path, depth + 1, access)],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

export function columnMetadata(plan: Plan, access: UserAccess): Record<string, unknown> {
  const columns: Record<string, unknown>[] = [];
  if (plan.countOnly) {
    columns.push({
      aggregate: true,
      apexType: 'Integer',
      booleanType: false,
      columnName: 'expr0',
      custom: false,
      displayName: 'count()',
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: true,
      textType: false,
      updatable: false,
    });
  }
  for (const item of plan.items) {
    if (item.kind === 'field') columns.push(pathColumn(item.path, 0, access));
    else if (item.kind === 'agg') {
      const f = item.agg.path?.field;
      const numeric = item.agg.fn.startsWith('COUNT') || item.agg.fn === 'SUM' || item.agg.fn === 'AVG';
      columns.push({
        aggregate: true,
        apexType: numeric
          ? item.agg.fn.startsWith('COUNT')
            ? 'Integer'
            : 'Double'
          : (APEX_TYPES[f?.type ?? 'string'] ?? 'String'),
        booleanType: false,
        columnName: item.agg.key,
        custom: false,
        displayName: item.agg.display,
        foreignKeyName: null,
        insertable: false,
        joinColumns: [],
        numberType: numeric || NUMERIC.has(f?.type ?? ''),
        textType: !numeric && TEXTUAL.has(f?.type ?? ''),
        updatable: false,
      });
    } else {
      const sub = item.sub;
      columns.push({
        aggregate: true,
        apexType: null,
        booleanType: false,
        columnName: sub.key,
        custom: false,
        displayName: sub.key,
        foreignKeyName: null,
        insertable: false,
        joinColumns: sub.plan.items
          .filter((i): i is Extract<typeof i, { kind: 'field' }> => i.kind === 'field')
          .map((i) => pathColumn(i.path, 0, access)),
        numberType: false,
        textType: false,
        updatable: false,
      });
    }
  }
  return {
    columnMetadata: columns,
    entityName: plan.aggregate ? 'AggregateResult' : plan.obj.name,
    groupBy: plan.groupBy.length > 0,
    idSelected: plan.items.some(
      (i) => i.kind === 'field' && i.path.refs.length === 0 && i.path.field.name === 'Id',
    ),
    keyPrefix: plan.aggregate ? null : plan.obj.keyPrefix,
  };
}
