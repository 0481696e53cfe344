// Knowledge query restrictions: a Knowledge__kav / KnowledgeArticleVersion query may filter on one PublishStatus
// and one Language only, in a top-level AND, unless it filters on Id or KnowledgeArticleId. Without a
// PublishStatus filter, API 46.0 and older return only Online versions; 47.0+ return every status the user may see.
// https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/knowledge_development_soql_sosl_intro.htm

import type { SObjectRecord } from '../org/contract.js';
import { malformed } from './query-errors.js';
import type { Plan } from './plan.js';
import type { CondNode } from './where.js';

const restriction = (object: string): string =>
  `Implementation restriction: When querying or searching the ${object} object, you must filter using the following syntax: Id = [single ID], Id IN [list of IDs], KnowledgeArticleId = [single ID], KnowledgeArticleId IN [list of IDs], or PublishStatus = [status]. In addition PublishStatus is only permitted in a top-level AND condition.`;

function conds(
  node: CondNode,
  out: Extract<CondNode, { kind: 'cond' }>[] = [],
): Extract<CondNode, { kind: 'cond' }>[] {
  if (node.kind === 'cond') out.push(node);
  else if (node.kind === 'not') conds(node.child, out);
  else for (const c of node.children) conds(c, out);
  return out;
}

const isTopLevel = (node: CondNode): CondNode[] => (node.kind === 'and' ? node.children : [node]);

/** Checks the restriction; returns an implicit row filter when the API version defaults to Online only. */
export function knowledgeFilter(
  plan: Plan,
  apiVersion: string,
): ((fields: SObjectRecord) => boolean) | undefined {
  const tree = plan.where?.tree;
  const top = tree ? isTopLevel(tree) : [];
  const all = tree ? conds(tree) : [];
  const onDirectField = (c: Extract<CondNode, { kind: 'cond' }>, name: string): boolean =>
    c.path.refs.length === 0 && c.path.field.name === name;
  const byId = top.some(
    (n) =>
      n.kind === 'cond' &&
      (onDirectField(n, 'Id') || onDirectField(n, 'KnowledgeArticleId')) &&
      (n.operator === '=' || n.operator === 'IN'),
  );
  for (const name of ['PublishStatus', 'Language']) {
    const uses = all.filter((c) => onDirectField(c, name));
    if (uses.length === 0 || byId) continue;
    const single = uses.length === 1 && top.includes(uses[0] as CondNode) && uses[0]?.operator === '=';
    if (!single) throw malformed(plan.soql, name, restriction(plan.obj.table));
  }
  const hasStatus = all.some((c) => onDirectField(c, 'PublishStatus'));
  if (!hasStatus && !byId && Number(apiVersion) < 47) return (f) => f['PublishStatus'] === 'Online';
  return undefined;
}
