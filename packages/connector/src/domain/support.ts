// The support domain in casebridge's own words: cases, comments, employees, articles. No Salesforce field names here;
// salesforce/mappers.ts translates.

export interface Employee {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string;
  name: string;
  department: string | null;
}

export interface SupportCase {
  id: string;
  number: string;
  subject: string | null;
  description: string | null;
  status: string;
  isClosed: boolean;
  priority: string | null;
  origin: string | null;
  employeeId: string | null;
  /** for cases filed by email with no Contact */
  suppliedEmail: string | null;
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Salesforce SystemModstamp: the sync cursor's clock */
  modstamp: string;
}

export interface CaseComment {
  id: string;
  caseId: string;
  body: string;
  /** visible to the employee (Salesforce: published) */
  isPublic: boolean;
  authorId: string;
  createdAt: string;
  modstamp: string;
}

export interface KnowledgeArticle {
  /** the version id */
  id: string;
  /** stable across versions: the key the knowledge index uses (with language) */
  articleId: string;
  articleNumber: string;
  title: string;
  urlName: string;
  summary: string | null;
  /** HTML of the first non-empty configured body field */
  bodyHtml: string | null;
  language: string;
  versionNumber: number;
  status: 'draft' | 'online' | 'archived';
  lastPublishedAt: string | null;
  modstamp: string;
}
