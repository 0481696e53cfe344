// The Knowledge article lifecycle: publish a draft (the previous Online version becomes Archived history),
// archive an article, and start a new draft version from the published one. Versions share
// KnowledgeArticleId and ArticleNumber; each version has its own Id and VersionNumber.
// https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/knowledge_REST_publish_master_version.htm

import { SalesforceError, notFound } from '../errors.js';
import { formatDatetime } from '../format.js';
import { KEY_PREFIXES, normalizeId } from '../ids.js';
import { articleVersionObjectName } from '../schema/knowledge.js';
import { createdStamp } from './audit-stamp.js';
import type { SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';
import type { StoredRecord } from './store.js';

function requireKnowledge(state: OrgState): void {
  if (!state.settings.knowledgeEnabled) {
    throw new SalesforceError(
      400,
      'INVALID_TYPE',
      `sObject type '${articleVersionObjectName(state.settings)}' is not supported.`,
    );
  }
}

function versionsOf(state: OrgState, articleId: unknown, language?: unknown): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (const v of state.store.table(articleVersionObjectName(state.settings))) {
    if (v.deleted || v.fields['KnowledgeArticleId'] !== articleId) continue;
    if (language !== undefined && v.fields['Language'] !== language) continue;
    out.push(v);
  }
  return out;
}

function touch(state: OrgState, fields: SObjectRecord, actor: string): SObjectRecord {
  const now = formatDatetime(state.clock.now());
  return { ...fields, LastModifiedDate: now, LastModifiedById: actor, SystemModstamp: now };
}

function invalidOperation(message: string): SalesforceError {
  return new SalesforceError(400, 'INVALID_OPERATION', message);
}

export function publishArticle(state: OrgState, versionId: string, actor: string): void {
  requireKnowledge(state);
  const id = normalizeId(versionId);
  const draft = id ? state.store.get(id) : undefined;
  if (!draft || draft.deleted || draft.sobject !== articleVersionObjectName(state.settings)) throw notFound();
  if (draft.fields['PublishStatus'] !== 'Draft')
    throw invalidOperation('Only draft versions can be published.');
  const now = formatDatetime(state.clock.now());
  const articleId = draft.fields['KnowledgeArticleId'];
  let firstPublished: unknown = null;
  for (const v of versionsOf(state, articleId, draft.fields['Language'])) {
    if (v === draft) continue;
    firstPublished ??= v.fields['FirstPublishedDate'];
    if (v.fields['PublishStatus'] === 'Online') {
      v.fields = touch(
        state,
        {
          ...v.fields,
          PublishStatus: 'Archived',
          IsLatestVersion: false,
          ArchivedDate: now,
          ArchivedById: actor,
        },
        actor,
      );
    } else if (v.fields['IsLatestVersion']) {
      v.fields = touch(state, { ...v.fields, IsLatestVersion: false }, actor);
    }
  }
  draft.fields = touch(
    state,
    {
      ...draft.fields,
      PublishStatus: 'Online',
      IsLatestVersion: true,
      FirstPublishedDate: firstPublished ?? now,
      LastPublishedDate: now,
      ArticleArchivedDate: null,
    },
    actor,
  );
  // Every version carries the article-level publication dates.
  for (const v of versionsOf(state, articleId)) {
    if (v !== draft)
      v.fields = {
        ...v.fields,
        LastPublishedDate: now,
        FirstPublishedDate: v.fields['FirstPublishedDate'] ?? firstPublished ?? now,
      };
  }
}

export function archiveArticle(state: OrgState, knowledgeArticleId: string, actor: string): void {
  requireKnowledge(state);
  const articleId = normalizeId(knowledgeArticleId);
  const versions = articleId ? versionsOf(state, articleId) : [];
  const online = versions.filter((v) => v.fields['PublishStatus'] === 'Online');
  if (online.length === 0) {
    if (versions.length === 0) throw notFound();
    throw invalidOperation('Only published articles can be archived.');
  }
  const now = formatDatetime(state.clock.now());
  for (const v of online) {
    v.fields = touch(
      state,
      { ...v.fields, PublishStatus: 'Archived', ArchivedDate: now, ArchivedById: actor },
      actor,
    );
  }
  for (const v of versions) v.fields = { ...v.fields, ArticleArchivedDate: now };
}

export function newDraftVersion(state: OrgState, knowledgeArticleId: string, actor: string): string {
  requireKnowledge(state);
  const articleId = normalizeId(knowledgeArticleId);
  const versions = articleId ? versionsOf(state, articleId) : [];
  if (versions.length === 0) throw notFound();
  if (versions.some((v) => v.fields['PublishStatus'] === 'Draft')) {
    throw invalidOperation("You can't create a new draft: this article already has a draft version.");
  }
  const source =
    versions.find((v) => v.fields['PublishStatus'] === 'Online' && v.fields['IsMasterLanguage']) ??
    versions.find((v) => v.fields['PublishStatus'] === 'Online');
  if (!source) throw invalidOperation('Only published articles can have a new draft version.');
  const maxVersion = Math.max(...versions.map((v) => Number(v.fields['VersionNumber'] ?? 0)));
  for (const v of versions)
    if (v.fields['IsLatestVersion']) v.fields = { ...v.fields, IsLatestVersion: false };
  const id = state.ids.next(KEY_PREFIXES.Knowledge__kav);
  state.store.add({
    sobject: articleVersionObjectName(state.settings),
    fields: {
      ...source.fields,
      Id: id,
      PublishStatus: 'Draft',
      VersionNumber: maxVersion + 1,
      IsLatestVersion: true,
      ArchivedDate: null,
      ArchivedById: null,
      OwnerId: actor,
      ...createdStamp(state, actor),
    },
    deleted: false,
    deletedAt: null,
  });
  return id;
}

/**
 * A translation of a published article into `language`: a Draft version in that language with
 * IsMasterLanguage false and MasterVersionId naming the published master-language version, sharing the
 * article's KnowledgeArticleId and ArticleNumber. It is published on its own (publishArticle works per language).
 * https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/knowledge_REST_submit_translation.htm
 */
export function newTranslation(
  state: OrgState,
  knowledgeArticleId: string,
  language: string,
  actor: string,
): string {
  requireKnowledge(state);
  const articleId = normalizeId(knowledgeArticleId);
  const versions = articleId ? versionsOf(state, articleId) : [];
  if (versions.length === 0) throw notFound();
  const master = versions.find((v) => v.fields['IsMasterLanguage'] && v.fields['PublishStatus'] === 'Online');
  if (!master) throw invalidOperation('Only published articles can be translated.');
  if (!state.settings.knowledgeLanguages.includes(language)) {
    throw new SalesforceError(
      400,
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `Language: bad value for restricted picklist field: ${language}`,
      ['Language'],
    );
  }
  if (language === master.fields['Language']) {
    throw invalidOperation(`${language} is the article's master language.`);
  }
  const same = versions.filter((v) => v.fields['Language'] === language);
  if (same.some((v) => v.fields['PublishStatus'] === 'Draft')) {
    throw invalidOperation(`This article already has a ${language} translation in progress.`);
  }
  for (const v of same) if (v.fields['IsLatestVersion']) v.fields = { ...v.fields, IsLatestVersion: false };
  const id = state.ids.next(KEY_PREFIXES.Knowledge__kav);
  state.store.add({
    sobject: articleVersionObjectName(state.settings),
    fields: {
      ...master.fields,
      Id: id,
      Language: language,
      IsMasterLanguage: false,
      MasterVersionId: master.fields['Id'],
      PublishStatus: 'Draft',
      IsLatestVersion: true,
      FirstPublishedDate: null,
      LastPublishedDate: null,
      ArchivedDate: null,
      ArchivedById: null,
      OwnerId: actor,
      ...createdStamp(state, actor),
    },
    deleted: false,
    deletedAt: null,
  });
  return id;
}
