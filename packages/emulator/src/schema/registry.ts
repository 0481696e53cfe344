// The org's schema: every object definition for the current settings, looked up case-insensitively, with the
// child relationships (Case.CaseComments, Contact.Cases...) wired from the lookup fields.

import type { OrgSettings } from '../org/contract.js';
import { caseCommentObject } from './case-comment.js';
import { withCustomFields } from './custom-fields.js';
import { customObjectDef, pluralLabel } from './custom-objects.js';
import { caseObject } from './case.js';
import { accountObject, contactObject } from './contact.js';
import { knowledgeArticleVersionObject, knowledgeObject } from './knowledge.js';
import {
  assignmentRuleObject,
  caseStatusObject,
  groupObject,
  queueSobjectObject,
  objectPermissionsObject,
  organizationObject,
  permissionSetAssignmentObject,
  permissionSetObject,
  profileObject,
  recordTypeObject,
} from './setup-objects.js';
import type { ChildRelationship, ObjectDef } from './types.js';
import { nameObject, userObject } from './user.js';

interface ChildSpec {
  parent: string;
  child: string;
  field: string;
  name: string;
  cascadeDelete: boolean;
}

/** Child relationships per the object reference; only those between modelled objects. */
const CHILD_RELATIONSHIPS: ChildSpec[] = [
  { parent: 'Case', child: 'CaseComment', field: 'ParentId', name: 'CaseComments', cascadeDelete: true },
  { parent: 'Case', child: 'Case', field: 'ParentId', name: 'Cases', cascadeDelete: false },
  { parent: 'Contact', child: 'Case', field: 'ContactId', name: 'Cases', cascadeDelete: false },
  { parent: 'Account', child: 'Case', field: 'AccountId', name: 'Cases', cascadeDelete: false },
  { parent: 'Account', child: 'Contact', field: 'AccountId', name: 'Contacts', cascadeDelete: false },
  { parent: 'Account', child: 'Account', field: 'ParentId', name: 'ChildAccounts', cascadeDelete: false },
  { parent: 'Profile', child: 'User', field: 'ProfileId', name: 'Users', cascadeDelete: false },
  { parent: 'Group', child: 'QueueSobject', field: 'QueueId', name: 'QueueSobjects', cascadeDelete: true },
  {
    parent: 'PermissionSet',
    child: 'PermissionSetAssignment',
    field: 'PermissionSetId',
    name: 'Assignments',
    cascadeDelete: true,
  },
  {
    parent: 'PermissionSet',
    child: 'ObjectPermissions',
    field: 'ParentId',
    name: 'ObjectPerms',
    cascadeDelete: true,
  },
  {
    parent: 'User',
    child: 'PermissionSetAssignment',
    field: 'AssigneeId',
    name: 'PermissionSetAssignments',
    cascadeDelete: true,
  },
];

/**
 * A custom Lookup gives its target a child relationship, named in Setup ("Child Relationship Name", default the
 * child object's plural label) and used with `__r` in SOQL: `SELECT (SELECT Id FROM Devices__r) FROM Account`.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_and_custom_objects.htm
 */
function customLookups(settings: OrgSettings): ChildSpec[] {
  return settings.customFields
    .filter((f) => f.type === 'Lookup' && f.referenceTo !== undefined)
    .map((f) => {
      const child = settings.customObjects.find((o) => o.name.toLowerCase() === f.sobject.toLowerCase());
      const base =
        f.relationshipName ?? (child ? pluralLabel(child) : `${f.sobject}s`).replace(/[^A-Za-z0-9]/g, '');
      return {
        parent: f.referenceTo ?? '',
        child: child?.name ?? f.sobject,
        field: f.name,
        name: `${base}__r`,
        cascadeDelete: false,
      };
    });
}

export class Schema {
  private readonly byName = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  readonly objects: ObjectDef[];

  constructor(settings: OrgSettings) {
    const user = userObject();
    const objects = [
      accountObject(),
      caseObject(settings),
      caseCommentObject(),
      caseStatusObject(),
      groupObject(),
      queueSobjectObject(),
      assignmentRuleObject(),
      contactObject(),
      objectPermissionsObject(),
      organizationObject(),
      permissionSetAssignmentObject(),
      permissionSetObject(),
      profileObject(),
      recordTypeObject(),
      user,
      nameObject(user),
    ];
    if (settings.knowledgeEnabled)
      objects.push(knowledgeObject(settings), knowledgeArticleVersionObject(settings));
    objects.push(...settings.customObjects.map((spec, i) => customObjectDef(spec, i)));
    this.objects = objects.map((o) => withCustomFields(o, settings.customFields));
    for (const o of this.objects) {
      this.byName.set(o.name.toLowerCase(), o);
      // The view shares its table's key prefix; IDs resolve to the concrete object.
      if (o.keyPrefix && o.table === o.name) this.byPrefix.set(o.keyPrefix, o);
    }
    for (const spec of [...CHILD_RELATIONSHIPS, ...customLookups(settings)]) {
      const parent = this.byName.get(spec.parent.toLowerCase());
      if (!parent || !this.byName.has(spec.child.toLowerCase())) continue;
      const rel: ChildRelationship = {
        childSObject: this.byName.get(spec.child.toLowerCase())?.name ?? spec.child,
        field: spec.field,
        relationshipName: spec.name,
        cascadeDelete: spec.cascadeDelete,
      };
      parent.childRelationships.push(rel);
      parent.childIndex.set(spec.name.toLowerCase(), rel);
    }
  }

  /** Case-insensitive lookup by API name. */
  get(name: string): ObjectDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The concrete object owning a key prefix (`500` → Case). */
  byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }
}
