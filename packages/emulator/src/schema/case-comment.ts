// The CaseComment object (key prefix 00a): a comment on a Case, at most 4,000 bytes of plain text ("The maximum
// size of the comment body is 4,000 bytes"; UTF-8 is assumed: the reference names no encoding).
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casecomment.htm

import { KEY_PREFIXES } from '../ids.js';
import { defineObject } from './define-object.js';
import { auditFields, field, idField, isDeletedField, reference } from './field-builders.js';
import type { ObjectDef } from './types.js';

export function caseCommentObject(): ObjectDef {
  return defineObject({
    name: 'CaseComment',
    label: 'Case Comment',
    labelPlural: 'Case Comments',
    keyPrefix: KEY_PREFIXES.CaseComment,
    access: 'parent-case',
    searchable: false,
    fields: [
      idField('Case Comment ID'),
      reference('ParentId', ['Case'], 'Parent', {
        label: 'Parent Case ID',
        nillable: false,
        updateable: false,
      }),
      field('IsPublished', 'boolean', { label: 'Published' }),
      field('CommentBody', 'textarea', { label: 'Body', length: 4000, lengthInBytes: true }),
      ...auditFields(),
      isDeletedField(),
    ],
  });
}
