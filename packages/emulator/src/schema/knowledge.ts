// Lightning Knowledge: Knowledge__kav (one row per article version) and the generic KnowledgeArticleVersion view.
// Only present when the org has Knowledge enabled; custom rich-text body fields come from the org settings.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_knowledgearticleversion.htm

import { KEY_PREFIXES } from '../ids.js';
import type { OrgSettings } from '../org/contract.js';
import { defineObject } from './define-object.js';
import {
  auditFields,
  field,
  idField,
  isDeletedField,
  ownerField,
  picklist,
  reference,
  systemField,
} from './field-builders.js';
import type { FieldDef, ObjectDef } from './types.js';

export const PUBLISH_STATUSES = ['Draft', 'Online', 'Archived'] as const;
export const KNOWLEDGE_LANGUAGES = ['en_US', 'de', 'fr', 'es', 'ja'] as const;

type KnowledgeNaming = Pick<OrgSettings, 'knowledgeObjectName'>;

/** The article version object of the org (`Knowledge__kav` unless the org named it otherwise). */
export const articleVersionObjectName = (settings: KnowledgeNaming): string =>
  `${settings.knowledgeObjectName}__kav`;

/** The article object the versions belong to (`Knowledge__ka`): what KnowledgeArticleId refers to. */
export const articleObjectName = (settings: KnowledgeNaming): string => `${settings.knowledgeObjectName}__ka`;

function standardFields(settings: OrgSettings): FieldDef[] {
  const languages = settings.knowledgeLanguages;
  return [
    idField('Knowledge Version ID'),
    ownerField(['Group', 'User']),
    isDeletedField(),
    systemField('KnowledgeArticleId', 'reference', {
      label: 'Knowledge Article ID',
      referenceTo: [articleObjectName(settings)],
      nillable: false,
    }),
    systemField('ArticleNumber', 'string', {
      label: 'Article Number',
      length: 30,
      autoNumber: true,
      nillable: false,
    }),
    field('Title', 'string', { label: 'Title', nillable: false, nameField: true }),
    field('UrlName', 'string', { label: 'URL Name', nillable: false }),
    field('Summary', 'textarea', { label: 'Summary', length: 1000 }),
    systemField('PublishStatus', 'picklist', {
      label: 'Publication Status',
      nillable: false,
      restrictedPicklist: true,
      picklistValues: picklist(PUBLISH_STATUSES, 'Draft'),
    }),
    field('ValidationStatus', 'picklist', {
      label: 'Validation Status',
      picklistValues: picklist(['Not Validated', 'Validated'], 'Not Validated'),
      defaultedOnCreate: true,
    }),
    field('Language', 'picklist', {
      label: 'Language',
      nillable: false,
      defaultedOnCreate: true,
      restrictedPicklist: true,
      picklistValues: picklist(languages, languages[0] ?? 'en_US'),
    }),
    reference('MasterVersionId', [articleVersionObjectName(settings)], 'MasterVersion', {
      label: 'Master Version ID',
      createable: false,
      updateable: false,
    }),
    systemField('VersionNumber', 'int', { label: 'Version Number', nillable: false }),
    systemField('IsLatestVersion', 'boolean', { label: 'Is Latest Version', nillable: false }),
    systemField('IsMasterLanguage', 'boolean', { label: 'Is Master Language', nillable: false }),
    field('IsVisibleInApp', 'boolean', { label: 'Visible In Internal App' }),
    field('IsVisibleInPkb', 'boolean', { label: 'Visible In Public Knowledge Base' }),
    field('IsVisibleInCsp', 'boolean', { label: 'Visible to Customer' }),
    field('IsVisibleInPrm', 'boolean', { label: 'Visible to Partner' }),
    systemField('FirstPublishedDate', 'datetime', { label: 'First Published Date' }),
    systemField('LastPublishedDate', 'datetime', { label: 'Last Published Date' }),
    systemField('ArchivedDate', 'datetime', { label: 'Archived Date' }),
    reference('ArchivedById', ['User'], 'ArchivedBy', {
      label: 'Archived By ID',
      createable: false,
      updateable: false,
    }),
    systemField('ArticleArchivedDate', 'datetime', { label: 'Article Archived Date' }),
    systemField('ArticleCreatedDate', 'datetime', { label: 'Article Created Date' }),
    reference('ArticleCreatedById', ['User'], 'ArticleCreatedBy', {
      label: 'Article Created By ID',
      createable: false,
      updateable: false,
    }),
    systemField('ArticleMasterLanguage', 'picklist', {
      label: 'Article Master Language',
      picklistValues: picklist(languages),
    }),
    systemField('ArticleTotalViewCount', 'int', { label: 'Article Total View Count' }),
    ...auditFields(),
  ];
}

export function knowledgeObject(settings: OrgSettings): ObjectDef {
  const name = articleVersionObjectName(settings);
  const recordTypes = settings.recordTypes.filter((rt) => rt.sobject === name);
  const bodyFields = settings.knowledgeBodyFields.map((b) =>
    field(b.name, 'textarea', {
      label: b.label,
      length: 131072,
      htmlFormatted: true,
      extraTypeInfo: 'richtextarea',
      custom: true,
    }),
  );
  return defineObject({
    name,
    label: settings.knowledgeObjectName,
    labelPlural: settings.knowledgeObjectName,
    keyPrefix: KEY_PREFIXES.Knowledge__kav,
    access: 'knowledge',
    searchable: true,
    searchFields: ['Title', 'Summary', 'UrlName', ...settings.knowledgeBodyFields.map((b) => b.name)],
    fields: [
      ...standardFields(settings),
      ...(recordTypes.length > 0
        ? [reference('RecordTypeId', ['RecordType'], 'RecordType', { label: 'Record Type ID' })]
        : []),
      ...bodyFields,
    ],
  });
}

/** The generic cross-type view: same rows as the article version object, standard fields only, not writable. */
export function knowledgeArticleVersionObject(settings: OrgSettings): ObjectDef {
  return defineObject({
    name: 'KnowledgeArticleVersion',
    label: 'Knowledge Article Version',
    labelPlural: 'Knowledge Article Versions',
    keyPrefix: KEY_PREFIXES.Knowledge__kav,
    access: 'knowledge',
    table: articleVersionObjectName(settings),
    createable: false,
    updateable: false,
    deletable: false,
    searchable: true,
    searchFields: ['Title', 'Summary', 'UrlName'],
    fields: standardFields(settings).map((f) => ({ ...f, createable: false, updateable: false })),
  });
}
