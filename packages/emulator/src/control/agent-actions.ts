// Control plane: what a support agent does in the Salesforce UI, applied as that agent (no API call counted):
// comment on a case, change its status, create, update, merge or delete cases, manage Knowledge articles.

import { orgOf, ok, created, userOf, type ControlAnswer, type ControlCall } from './control-call.js';
import { badInput } from './control-error.js';
import {
  optBoolean,
  optObject,
  optString,
  optStringArray,
  reqObject,
  reqString,
  type Json,
} from './input.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { articleVersionObjectName } from '../schema/knowledge.js';

/** the acting agent: `agent` (username or id), else the org's default agent */
function agentOf(org: OrgRuntime, body: Json): string {
  const ref = optString(body, 'agent') ?? org.defaultAgent;
  if (ref === undefined)
    throw badInput('agent (a username or user id) is required: this org has no default agent');
  return userOf(org, ref).Id;
}

function knowledgeArticleIdOf(org: OrgRuntime, body: Json): string {
  const direct = optString(body, 'knowledgeArticleId');
  if (direct !== undefined) return direct;
  const versionId = reqString(body, 'versionId');
  const version = org.data.peek(versionId);
  const id = version?.record['KnowledgeArticleId'];
  if (typeof id !== 'string') throw badInput(`no article version ${versionId}`);
  return id;
}

type Action = (org: OrgRuntime, agentId: () => string, body: Json) => ControlAnswer;

const ACTIONS: Record<string, Action> = {
  'comment-case': (org, agent, b) => {
    const isPublic = optBoolean(b, 'isPublic') ?? true;
    const id = org.data.insert(
      'CaseComment',
      { ParentId: reqString(b, 'caseId'), CommentBody: reqString(b, 'body'), IsPublished: isPublic },
      agent(),
    );
    return created({ id });
  },
  'set-case-status': (org, agent, b) => {
    org.data.patch('Case', reqString(b, 'caseId'), { Status: reqString(b, 'status') }, agent());
    return ok({ id: reqString(b, 'caseId') });
  },
  'create-case': (org, agent, b) => created({ id: org.data.insert('Case', reqObject(b, 'fields'), agent()) }),
  'update-record': (org, agent, b) => {
    org.data.patch(reqString(b, 'sobject'), reqString(b, 'id'), reqObject(b, 'fields'), agent());
    return ok({ id: reqString(b, 'id') });
  },
  'create-record': (org, agent, b) =>
    created({ id: org.data.insert(reqString(b, 'sobject'), reqObject(b, 'fields'), agent()) }),
  'delete-record': (org, agent, b) => {
    const id = reqString(b, 'id');
    const found = org.data.peek(id);
    if (found === undefined) throw badInput(`no record ${id}`);
    org.data.remove(found.sobject, id, agent());
    return ok({ id });
  },
  /** an approval process locks the record (Approval.lock), or `locked: false` unlocks it */
  'lock-record': (org, _agent, b) => {
    const id = reqString(b, 'id');
    if (org.data.peek(id) === undefined) throw badInput(`no record ${id}`);
    org.data.setLocked(id, optBoolean(b, 'locked') ?? true);
    return ok({ id, locked: optBoolean(b, 'locked') ?? true });
  },
  'delete-case': (org, agent, b) => {
    org.data.remove('Case', reqString(b, 'caseId'), agent());
    return ok({ id: reqString(b, 'caseId') });
  },
  'merge-cases': (org, agent, b) => {
    const loserIds = optStringArray(b, 'loserIds');
    if (loserIds === undefined || loserIds.length === 0)
      throw badInput('loserIds must list at least one case id');
    org.data.mergeCases(reqString(b, 'masterId'), loserIds, agent());
    return ok({ masterId: reqString(b, 'masterId'), merged: loserIds });
  },
  /** a new article: a Draft version with `title`, `urlName` and body `fields`; `publish: true` publishes it */
  'create-article': (org, agent, b) => {
    const title = reqString(b, 'title');
    const urlName =
      optString(b, 'urlName') ??
      title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    const fields = optObject(b, 'fields') ?? {};
    const versionId = org.data.insert(
      articleVersionObjectName(org.data.settings),
      { Title: title, UrlName: urlName, ...fields },
      agent(),
    );
    if (optBoolean(b, 'publish') === true) org.data.publishArticle(versionId, agent());
    return created({
      versionId,
      knowledgeArticleId: org.data.peek(versionId)?.record['KnowledgeArticleId'] ?? null,
    });
  },
  'publish-article': (org, agent, b) => {
    org.data.publishArticle(reqString(b, 'versionId'), agent());
    return ok({ versionId: reqString(b, 'versionId') });
  },
  'archive-article': (org, agent, b) => {
    const id = knowledgeArticleIdOf(org, b);
    org.data.archiveArticle(id, agent());
    return ok({ knowledgeArticleId: id });
  },
  /** a new Draft version of a published article, optionally with changed `fields` */
  'create-draft': (org, agent, b) => {
    const id = knowledgeArticleIdOf(org, b);
    const versionId = org.data.newDraftVersion(id, agent());
    const fields = optObject(b, 'fields');
    if (fields !== undefined)
      org.data.patch(articleVersionObjectName(org.data.settings), versionId, fields, agent());
    return created({ versionId, knowledgeArticleId: id });
  },
  /** a Draft translation of a published article into `language`, optionally with `fields`; `publish: true` publishes it */
  'create-translation': (org, agent, b) => {
    const id = knowledgeArticleIdOf(org, b);
    const versionId = org.data.newTranslation(id, reqString(b, 'language'), agent());
    const fields = optObject(b, 'fields');
    if (fields !== undefined)
      org.data.patch(articleVersionObjectName(org.data.settings), versionId, fields, agent());
    if (optBoolean(b, 'publish') === true) org.data.publishArticle(versionId, agent());
    return created({ versionId, knowledgeArticleId: id });
  },
  'delete-article': (org, agent, b) => {
    org.data.remove(articleVersionObjectName(org.data.settings), reqString(b, 'versionId'), agent());
    return ok({ versionId: reqString(b, 'versionId') });
  },
};

export const ACTION_NAMES = Object.keys(ACTIONS);

export function runAction(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const name = call.params[1] ?? '';
  const action = ACTIONS[name];
  if (action === undefined) throw badInput(`unknown action ${name}; use one of ${ACTION_NAMES.join(', ')}`);
  return action(org, () => agentOf(org, call.body), call.body);
}
