// Describe output (global and per object) in the REST shape, reflecting the caller's permissions: objects the
// caller cannot read are absent, fields hidden by field-level security are absent, and the createable/updateable
// flags of objects and fields say what this caller may do (salesforce.md 2.9).

import type { UserAccess } from '../org/access.js';
import type { OrgSettings } from '../org/contract.js';
import type { FieldDef, ObjectDef } from './types.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  datetime: 'xsd:dateTime',
  date: 'xsd:date',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
};

function urls(apiVersion: string, name: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function objectFlags(obj: ObjectDef, access: UserAccess, apiVersion: string): Record<string, unknown> {
  const p = access.object(obj);
  return {
    activateable: false,
    createable: obj.createable && p.create,
    custom: obj.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: obj.deletable && p.delete,
    deprecatedAndHidden: false,
    feedEnabled: obj.name === 'Case' || obj.name === 'Contact' || obj.name === 'Account',
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: obj.createable,
    mergeable: ['Case', 'Contact', 'Account'].includes(obj.name) && p.delete,
    mruEnabled: obj.createable,
    name: obj.name,
    queryable: obj.queryable,
    replicateable: obj.replicateable,
    retrieveable: true,
    searchable: obj.searchable,
    triggerable: obj.createable,
    undeletable: obj.deletable && p.delete,
    updateable: obj.updateable && p.edit,
    urls: urls(apiVersion, obj.name),
  };
}

/** GET /sobjects: the objects this caller can read. */
export function describeGlobal(
  objects: ObjectDef[],
  access: UserAccess,
  apiVersion: string,
): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: objects
      .filter((o) => !o.hidden && access.canRead(o))
      .map((o) => objectFlags(o, access, apiVersion)),
  };
}

function describeField(obj: ObjectDef, f: FieldDef, access: UserAccess): Record<string, unknown> {
  const editable = access.fieldEditable(obj, f);
  const isText = ['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url'].includes(
    f.type,
  );
  return {
    aggregatable: f.aggregatable,
    autoNumber: f.autoNumber,
    byteLength: isText || f.type === 'id' || f.type === 'reference' ? f.length * 3 : 0,
    calculated: f.calculated,
    calculatedFormula: null,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.type === 'id',
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable && editable,
    custom: f.custom,
    defaultValue: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.digits,
    encrypted: false,
    externalId: f.externalId === true,
    extraTypeInfo: f.extraTypeInfo,
    filterable: f.filterable,
    groupable: f.groupable,
    htmlFormatted: f.htmlFormatted,
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length: f.length,
    name: f.name,
    nameField: f.nameField,
    nillable: f.nillable,
    permissionable: f.nillable && !f.calculated && f.createable,
    picklistValues: f.picklistValues.map((p) => ({ ...p, validFor: null })),
    polymorphicForeignKey: f.polymorphic,
    precision: f.precision,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable && editable,
  };
}

/** GET /sobjects/{name}/describe. The caller must be able to read the object (checked by the caller). */
export function describeObject(
  obj: ObjectDef,
  access: UserAccess,
  apiVersion: string,
  settings: OrgSettings,
  recordTypeIds: Map<string, string>,
): Record<string, unknown> {
  const recordTypes = settings.recordTypes.filter((rt) => rt.sobject === obj.table && rt.active !== false);
  const master = {
    active: true,
    available: true,
    defaultRecordTypeMapping: recordTypes.length === 0,
    developerName: 'Master',
    master: true,
    name: 'Master',
    recordTypeId: '012000000000000AAA',
    urls: {
      layout: `/services/data/v${apiVersion}/sobjects/${obj.name}/describe/layouts/012000000000000AAA`,
    },
  };
  return {
    ...objectFlags(obj, access, apiVersion),
    actionOverrides: [],
    childRelationships: obj.childRelationships.map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: obj.createable,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: obj.fields.filter((f) => access.fieldReadable(obj, f)).map((f) => describeField(obj, f, access)),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      ...recordTypes.map((rt, i) => {
        const id = recordTypeIds.get(`${rt.sobject}.${rt.developerName}`) ?? '';
        return {
          active: true,
          available: true,
          defaultRecordTypeMapping: i === 0,
          developerName: rt.developerName,
          master: false,
          name: rt.name,
          recordTypeId: id,
          urls: { layout: `/services/data/v${apiVersion}/sobjects/${obj.name}/describe/layouts/${id}` },
        };
      }),
      master,
    ],
    searchLayoutable: obj.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All', name: 'everything' },
      { label: 'Mine', name: 'mine' },
    ],
  };
}
