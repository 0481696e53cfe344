// Wire records (as the REST API returns them) validate and map to domain types; a bad shape names the field.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import {
  isoFromSalesforce,
  toCaseComment,
  toEmployee,
  toKnowledgeArticle,
  toSupportCase,
} from './mappers.js';
import { parseWire } from './wire/parse-wire.js';
import { SfCase } from './wire/sf-case.js';
import { SfCaseComment } from './wire/sf-case-comment.js';
import { SfContact } from './wire/sf-contact.js';
import { SfKnowledgeArticle } from './wire/sf-knowledge-article.js';

const ctx = { tenantId: 'acme', shape: 'Case' };
const attributes = { type: 'Case', url: '/services/data/v62.0/sobjects/Case/5005g000000008VAAQ' };
const sfCase = {
  attributes,
  Id: '5005g000000008VAAQ',
  CaseNumber: '00001001',
  Subject: 'Parking permit renewal',
  Description: null,
  Status: 'New',
  IsClosed: false,
  Priority: 'Low',
  Origin: 'Phone',
  ContactId: '0035g000000002lAAA',
  SuppliedEmail: null,
  OwnerId: '0055g000000000EAAQ',
  CreatedDate: '2026-10-21T18:09:00.000+0000',
  LastModifiedDate: '2026-10-21T18:10:00.000+0000',
  SystemModstamp: '2026-10-21T18:11:00.000+0000',
};

void test('Salesforce datetimes become ISO 8601 UTC', () => {
  assert.equal(isoFromSalesforce('2026-10-21T18:09:00.000+0000'), '2026-10-21T18:09:00.000Z');
  assert.equal(isoFromSalesforce('2026-10-21T20:09:00.000+0200'), '2026-10-21T18:09:00.000Z');
  assert.throws(() => isoFromSalesforce('soon'));
});

void test('Case → SupportCase', () => {
  assert.deepEqual(toSupportCase(parseWire(SfCase, sfCase, ctx)), {
    id: '5005g000000008VAAQ',
    number: '00001001',
    subject: 'Parking permit renewal',
    description: null,
    status: 'New',
    isClosed: false,
    priority: 'Low',
    origin: 'Phone',
    employeeId: '0035g000000002lAAA',
    suppliedEmail: null,
    ownerId: '0055g000000000EAAQ',
    createdAt: '2026-10-21T18:09:00.000Z',
    updatedAt: '2026-10-21T18:10:00.000Z',
    modstamp: '2026-10-21T18:11:00.000Z',
  });
});

void test('a response that breaks the schema is SF_API_INVALID_RESPONSE naming the field', () => {
  assert.throws(
    () => parseWire(SfCase, { ...sfCase, IsClosed: 'no' }, ctx),
    (err) => isAppError(err, 'SF_API_INVALID_RESPONSE') && /field IsClosed/.test(err.message),
  );
  const missing: Record<string, unknown> = { ...sfCase };
  delete missing['CaseNumber'];
  assert.throws(
    () => parseWire(SfCase, missing, ctx),
    (err) => isAppError(err) && /CaseNumber/.test(err.message),
  );
});

void test('CaseComment, Contact and Knowledge__kav map; the first non-empty configured body field wins', () => {
  const comment = parseWire(
    SfCaseComment,
    {
      Id: '00a5g000000008XAAQ',
      ParentId: '5005g000000008WAAQ',
      CommentBody: 'On it',
      IsPublished: true,
      CreatedById: '0055g000000000FAAQ',
      CreatedDate: '2026-10-22T08:39:00.000+0000',
      SystemModstamp: '2026-10-22T08:39:00.000+0000',
    },
    ctx,
  );
  assert.deepEqual(toCaseComment(comment), {
    id: '00a5g000000008XAAQ',
    caseId: '5005g000000008WAAQ',
    body: 'On it',
    isPublic: true,
    authorId: '0055g000000000FAAQ',
    createdAt: '2026-10-22T08:39:00.000Z',
    modstamp: '2026-10-22T08:39:00.000Z',
  });
  const contact = parseWire(
    SfContact,
    {
      Id: '003',
      Email: "o'brien@x.com",
      FirstName: null,
      LastName: "O'Brien",
      Name: "O'Brien",
      Department: 'IT',
    },
    ctx,
  );
  assert.deepEqual(toEmployee(contact), {
    id: '003',
    email: "o'brien@x.com",
    firstName: null,
    lastName: "O'Brien",
    name: "O'Brien",
    department: 'IT',
  });
  const article = parseWire(
    SfKnowledgeArticle,
    {
      Id: 'ka0',
      KnowledgeArticleId: 'kA0',
      ArticleNumber: '000001000',
      Title: 'VPN',
      UrlName: 'vpn',
      Summary: null,
      Language: 'en_US',
      VersionNumber: 2,
      PublishStatus: 'Online',
      LastPublishedDate: '2026-09-23T21:36:00.000+0000',
      SystemModstamp: '2026-09-23T21:36:00.000+0000',
      Question__c: '  ',
      Answer__c: '<p>Use the client</p>',
    },
    ctx,
  );
  const mapped = toKnowledgeArticle(article, ['Question__c', 'Answer__c']);
  assert.equal(mapped.bodyHtml, '<p>Use the client</p>');
  assert.equal(mapped.status, 'online');
  assert.equal(mapped.articleId, 'kA0');
  assert.equal(toKnowledgeArticle(article, ['Missing__c']).bodyHtml, null);
});
