// SfKnowledgeArticle: a Knowledge__kav version; body fields are org-defined (e.g. Answer__c), so extra keys are kept
// and read by the names the tenant configures. https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/sforce_api_objects_knowledge__kav.htm

import { z } from 'zod';

export const SfKnowledgeArticle = z.looseObject({
  Id: z.string(),
  KnowledgeArticleId: z.string(),
  ArticleNumber: z.string(),
  Title: z.string(),
  UrlName: z.string(),
  Summary: z.string().nullable(),
  Language: z.string(),
  VersionNumber: z.number(),
  PublishStatus: z.string(),
  LastPublishedDate: z.string().nullable(),
  SystemModstamp: z.string(),
});
export type SfKnowledgeArticle = z.infer<typeof SfKnowledgeArticle>;

export const SF_KNOWLEDGE_ARTICLE_FIELDS = Object.keys(SfKnowledgeArticle.shape);
