// Wire → domain: the only place Salesforce field names turn into casebridge's words (glossary: Case ↔ SupportCase,
// CaseComment ↔ CaseComment, Contact ↔ Employee, Knowledge__kav ↔ KnowledgeArticle).

import type { CaseComment, Employee, KnowledgeArticle, SupportCase } from '../domain/support.js';
import type { SfCase } from './wire/sf-case.js';
import type { SfCaseComment } from './wire/sf-case-comment.js';
import type { SfContact } from './wire/sf-contact.js';
import type { SfKnowledgeArticle } from './wire/sf-knowledge-article.js';

/** Salesforce datetimes are `2024-01-15T10:30:00.000+0000`; the domain keeps ISO 8601 `...Z`. */
export function isoFromSalesforce(value: string): string {
  const at = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(at.getTime())) throw new TypeError(`not a Salesforce datetime: ${value}`);
  return at.toISOString();
}

const isoOrNull = (value: string | null): string | null => (value === null ? null : isoFromSalesforce(value));

export function toSupportCase(sf: SfCase): SupportCase {
  return {
    id: sf.Id,
    number: sf.CaseNumber,
    subject: sf.Subject,
    description: sf.Description,
    status: sf.Status ?? '',
    isClosed: sf.IsClosed,
    priority: sf.Priority,
    origin: sf.Origin,
    employeeId: sf.ContactId,
    suppliedEmail: sf.SuppliedEmail,
    ownerId: sf.OwnerId,
    createdAt: isoFromSalesforce(sf.CreatedDate),
    updatedAt: isoFromSalesforce(sf.LastModifiedDate),
    modstamp: isoFromSalesforce(sf.SystemModstamp),
  };
}

export function toCaseComment(sf: SfCaseComment): CaseComment {
  return {
    id: sf.Id,
    caseId: sf.ParentId,
    body: sf.CommentBody ?? '',
    isPublic: sf.IsPublished,
    authorId: sf.CreatedById,
    createdAt: isoFromSalesforce(sf.CreatedDate),
    modstamp: isoFromSalesforce(sf.SystemModstamp),
  };
}

export function toEmployee(sf: SfContact): Employee {
  return {
    id: sf.Id,
    email: sf.Email,
    firstName: sf.FirstName,
    lastName: sf.LastName,
    name: sf.Name,
    department: sf.Department,
  };
}

const STATUSES: Record<string, KnowledgeArticle['status']> = {
  draft: 'draft',
  online: 'online',
  archived: 'archived',
};

/** `bodyFields` in order of preference: the first non-empty one is the article body. */
export function toKnowledgeArticle(sf: SfKnowledgeArticle, bodyFields: readonly string[]): KnowledgeArticle {
  let bodyHtml: string | null = null;
  for (const name of bodyFields) {
    const value = sf[name];
    if (typeof value === 'string' && value.trim() !== '') {
      bodyHtml = value;
      break;
    }
  }
  return {
    id: sf.Id,
    articleId: sf.KnowledgeArticleId,
    articleNumber: sf.ArticleNumber,
    title: sf.Title,
    urlName: sf.UrlName,
    summary: sf.Summary,
    bodyHtml,
    language: sf.Language,
    versionNumber: sf.VersionNumber,
    status: STATUSES[sf.PublishStatus.toLowerCase()] ?? 'draft',
    lastPublishedAt: isoOrNull(sf.LastPublishedDate),
    modstamp: isoFromSalesforce(sf.SystemModstamp),
  };
}
