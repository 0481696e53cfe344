// Knowledge__kav save rules: a new version row starts a new article as a Draft (new KnowledgeArticleId and
// ArticleNumber), and UrlName must be unique per language across articles.
// https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/sforce_api_objects_knowledge__kav.htm

import { SalesforceError } from '../errors.js';
import { KEY_PREFIXES } from '../ids.js';
import { formatDatetime } from '../format.js';
import { articleVersionObjectName } from '../schema/knowledge.js';
import type { SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';

export function beforeKnowledgeCreate(state: OrgState, record: SObjectRecord, actingUserId: string): void {
  const now = formatDatetime(state.clock.now());
  const newArticle = record['KnowledgeArticleId'] == null;
  if (newArticle) {
    record['KnowledgeArticleId'] = state.ids.next(KEY_PREFIXES.KnowledgeArticle);
    record['ArticleNumber'] = String(state.counters.articleNumber++).padStart(9, '0');
    record['VersionNumber'] = 1;
    record['ArticleCreatedDate'] = now;
    record['ArticleCreatedById'] = actingUserId;
  }
  record['PublishStatus'] ??= 'Draft';
  // Booleans arrive as false from the blank row, so `??=` would leave them false: a new version is the latest,
  // and the first version of a new article is in its master language.
  record['IsLatestVersion'] = true;
  if (newArticle) record['IsMasterLanguage'] = true;
  record['Language'] ??= state.settings.knowledgeLanguages[0] ?? 'en_US';
  record['ArticleMasterLanguage'] ??= record['Language'];
  record['ValidationStatus'] ??= 'Not Validated';
  record['ArticleTotalViewCount'] ??= 0;
  record['OwnerId'] ??= actingUserId;
}

/** UrlName is unique per language among other articles (versions of one article share it). */
export function checkUrlNameUnique(state: OrgState, record: SObjectRecord): void {
  const url = record['UrlName'];
  if (typeof url !== 'string') return;
  for (const other of state.store.table(articleVersionObjectName(state.settings))) {
    if (other.deleted || other.fields['KnowledgeArticleId'] === record['KnowledgeArticleId']) continue;
    if (other.fields['Language'] !== record['Language']) continue;
    if (String(other.fields['UrlName']).toLowerCase() === url.toLowerCase()) {
      throw new SalesforceError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: UrlName duplicates value on record with id: ${String(other.fields['Id'])}`,
        ['UrlName'],
      );
    }
  }
}
