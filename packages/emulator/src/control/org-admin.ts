// Control plane: create, list, inspect, reset, seed and delete orgs; org settings and API limits; read a record.

import type {
  AssignmentRuleSpec,
  CustomFieldSpec,
  CustomObjectSpec,
  OrgSettings,
  QueueSpec,
} from '../org/contract.js';
import { CUSTOMIZABLE_OBJECTS, LOOKUP_TARGETS, customFieldProblem } from '../schema/custom-fields.js';
import { customObjectPrefix, customObjectProblem } from '../schema/custom-objects.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { generateKeyPair } from '../seed/keys.js';
import { DEMO_SETTINGS, demoCountProblem, seedDemoOrg } from '../seed/demo-org.js';
import {
  created,
  describeOrg,
  ok,
  orgOf,
  userOf,
  type ControlAnswer,
  type ControlCall,
} from './control-call.js';
import { ControlError, badInput, notFoundControl } from './control-error.js';
import { optBoolean, optNumber, optObject, optString, optStringArray, type Json } from './input.js';

const CASE_SHARING_DEFAULTS = ['Private', 'Read', 'ReadWrite', 'ReadWriteTransfer'] as const;

const SETTING_KEYS = [
  'name',
  'knowledgeEnabled',
  'knowledgeBodyFields',
  'recordTypes',
  'caseStatuses',
  'caseSharingDefault',
  'validationRules',
  'isSandbox',
  'organizationType',
  'caseCommentTouchesCase',
  'knowledgeObjectName',
  'knowledgeLanguages',
  'customFields',
  'customObjects',
  'queues',
  'assignmentRules',
  'changeDataCaptureEntities',
] as const;

function queuesOf(value: unknown): QueueSpec[] {
  if (!Array.isArray(value)) throw badInput('queues must be an array');
  return value.map((raw: unknown) => {
    const q = raw as Partial<QueueSpec> | null;
    if (
      q === null ||
      typeof q !== 'object' ||
      typeof q.developerName !== 'string' ||
      !/^[A-Za-z][A-Za-z0-9_]*$/.test(q.developerName)
    ) {
      throw badInput('each queue needs a developerName (letters, digits, underscores)');
    }
    if (!Array.isArray(q.sobjectTypes) || !q.sobjectTypes.every((t) => typeof t === 'string')) {
      throw badInput(`queue ${q.developerName}: sobjectTypes must list object names, e.g. ["Case"]`);
    }
    return {
      developerName: q.developerName,
      sobjectTypes: q.sobjectTypes,
      ...(typeof q.name === 'string' ? { name: q.name } : {}),
    };
  });
}

function rulesOf(value: unknown): AssignmentRuleSpec[] {
  if (!Array.isArray(value)) throw badInput('assignmentRules must be an array');
  const rules = value.map((raw: unknown) => {
    const r = raw as Partial<AssignmentRuleSpec> | null;
    if (r === null || typeof r !== 'object' || typeof r.name !== 'string' || r.name === '')
      throw badInput('each assignment rule needs a name');
    if (!Array.isArray(r.entries)) throw badInput(`assignment rule ${r.name}: entries must be an array`);
    for (const e of r.entries) {
      if (
        typeof e !== 'object' ||
        typeof e.assignTo !== 'string' ||
        typeof e.criteria !== 'object' ||
        e.criteria === null
      ) {
        throw badInput(
          `assignment rule ${r.name}: each entry is {criteria: {Field: 'value'}, assignTo: 'QueueDeveloperName' | user}`,
        );
      }
    }
    return { name: r.name, active: r.active === true, entries: r.entries };
  });
  if (rules.filter((r) => r.active).length > 1) throw badInput('only one Case assignment rule can be active');
  return rules;
}

/** each custom object spec checked, or a 400 naming what is wrong */
function customObjectsOf(value: unknown): CustomObjectSpec[] {
  if (!Array.isArray(value)) throw badInput('customObjects must be an array');
  const seen = new Set<string>();
  return value.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw badInput('each custom object must be an object');
    const spec = raw as CustomObjectSpec;
    const problem = customObjectProblem(spec);
    if (problem !== undefined) throw badInput(problem);
    if (seen.has(spec.name.toLowerCase())) throw badInput(`${spec.name} is listed twice`);
    seen.add(spec.name.toLowerCase());
    return {
      name: spec.name,
      label: spec.label,
      ...(spec.labelPlural !== undefined ? { labelPlural: spec.labelPlural } : {}),
      ...(spec.nameFieldLabel !== undefined ? { nameFieldLabel: spec.nameFieldLabel } : {}),
    };
  });
}

/**
 * each custom field spec checked against the objects that take custom fields (the standard ones and `objects`),
 * with its object and lookup target in their canonical case, or a 400 naming what is wrong
 */
function customFieldsOf(value: unknown, objects: CustomObjectSpec[]): CustomFieldSpec[] {
  if (!Array.isArray(value)) throw badInput('customFields must be an array');
  const canonical = (name: unknown, names: readonly string[]): string | undefined =>
    typeof name === 'string' ? names.find((n) => n.toLowerCase() === name.toLowerCase()) : undefined;
  const hosts = [...CUSTOMIZABLE_OBJECTS, ...objects.map((o) => o.name)];
  const targets = [...LOOKUP_TARGETS, ...objects.map((o) => o.name)];
  const seen = new Set<string>();
  const relationships = new Set<string>();
  return value.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw badInput('each custom field must be an object');
    const given = raw as CustomFieldSpec;
    const sobject = canonical(given.sobject, hosts);
    if (sobject === undefined) {
      throw badInput(
        `custom fields go on ${hosts.join(', ')} (create a custom object first), not ${String(given.sobject)}`,
      );
    }
    if (typeof given.name !== 'string') throw badInput('a custom field needs a name');
    const spec: CustomFieldSpec = { ...given, sobject };
    const problem = customFieldProblem(spec);
    if (problem !== undefined) throw badInput(problem);
    if (spec.type === 'Lookup') {
      const target = canonical(spec.referenceTo, targets);
      if (target === undefined)
        throw badInput(
          `${spec.name}: a Lookup goes to one of ${targets.join(', ')}, not ${String(spec.referenceTo)}`,
        );
      spec.referenceTo = target;
      const child = objects.find((o) => o.name === sobject);
      const rel =
        `${target}.${spec.relationshipName ?? child?.labelPlural ?? child?.label ?? sobject}`.toLowerCase();
      if (relationships.has(rel))
        throw badInput(
          `${spec.name}: ${target} already has that child relationship; give a relationshipName`,
        );
      relationships.add(rel);
    }
    const key = `${spec.sobject}.${spec.name}`.toLowerCase();
    if (seen.has(key)) throw badInput(`${spec.sobject} already has a field named ${spec.name}`);
    seen.add(key);
    return spec;
  });
}

const CASE_COMMENT_TOUCHES = ['none', 'systemModstamp', 'lastModified'] as const;

function settingsOf(body: Json | undefined, current?: OrgSettings): Partial<OrgSettings> {
  if (body === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      throw badInput(`unknown setting ${key}; settings are ${SETTING_KEYS.join(', ')}`);
    }
    out[key] = value;
  }
  const sharing = out['caseSharingDefault'];
  if (sharing !== undefined && !(CASE_SHARING_DEFAULTS as readonly unknown[]).includes(sharing)) {
    throw badInput(`caseSharingDefault must be one of ${CASE_SHARING_DEFAULTS.join(', ')}`);
  }
  const objectName = out['knowledgeObjectName'];
  if (
    objectName !== undefined &&
    !(
      typeof objectName === 'string' &&
      /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(objectName) &&
      objectName.length <= 40
    )
  ) {
    throw badInput(
      'knowledgeObjectName must be an API name such as Knowledge or FAQ (letters, digits, single underscores, at most 40)',
    );
  }
  const languages = out['knowledgeLanguages'];
  if (
    languages !== undefined &&
    !(
      Array.isArray(languages) &&
      languages.length > 0 &&
      languages.every((l) => typeof l === 'string' && /^[a-z]{2,3}(_[A-Z]{2})?$/.test(l))
    )
  ) {
    throw badInput(
      'knowledgeLanguages must be a non-empty array of locale codes such as en_US, de, pt_BR (the first is the master language)',
    );
  }
  if (out['customObjects'] !== undefined) out['customObjects'] = customObjectsOf(out['customObjects']);
  const objects = (out['customObjects'] as CustomObjectSpec[] | undefined) ?? current?.customObjects ?? [];
  if (out['customFields'] !== undefined) out['customFields'] = customFieldsOf(out['customFields'], objects);
  else if (out['customObjects'] !== undefined && current !== undefined) {
    // fields of an object no longer listed would point nowhere
    customFieldsOf(current.customFields, objects);
  }
  if (out['queues'] !== undefined) out['queues'] = queuesOf(out['queues']);
  if (out['assignmentRules'] !== undefined) out['assignmentRules'] = rulesOf(out['assignmentRules']);
  const touch = out['caseCommentTouchesCase'];
  if (touch !== undefined && !(CASE_COMMENT_TOUCHES as readonly unknown[]).includes(touch)) {
    throw badInput(`caseCommentTouchesCase must be one of ${CASE_COMMENT_TOUCHES.join(', ')}`);
  }
  for (const key of ['knowledgeEnabled', 'isSandbox'] as const) {
    if (out[key] !== undefined && typeof out[key] !== 'boolean')
      throw badInput(`${key} must be true or false`);
  }
  for (const key of ['knowledgeBodyFields', 'recordTypes', 'caseStatuses', 'validationRules'] as const) {
    if (out[key] !== undefined && !Array.isArray(out[key])) throw badInput(`${key} must be an array`);
  }
  const cdc = out['changeDataCaptureEntities'];
  if (
    cdc !== undefined &&
    !(Array.isArray(cdc) && cdc.every((e) => typeof e === 'string' && /^\w+$/.test(e)))
  )
    throw badInput('changeDataCaptureEntities must be an array of object API names such as Case');
  return out;
}

function dailyLimitOf(body: Json): number | undefined {
  const limit = optNumber(body, 'dailyApiLimit');
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw badInput('dailyApiLimit must be a non-negative integer');
  }
  return limit;
}

/** `contacts` and `cases` of a demo seed, checked before anything is created */
function demoCounts(body: Json): { contacts: number | undefined; cases: number | undefined } {
  const counts = { contacts: optNumber(body, 'contacts'), cases: optNumber(body, 'cases') };
  const problem = demoCountProblem({
    ...(counts.contacts !== undefined ? { contacts: counts.contacts } : {}),
    ...(counts.cases !== undefined ? { cases: counts.cases } : {}),
  });
  if (problem !== undefined) throw badInput(problem);
  return counts;
}

/** seed the demo story into `org`; without a certificate a key pair is generated and its private key returned */
async function seedDemo(org: OrgRuntime, body: Json): Promise<Record<string, unknown>> {
  let certificatePem = optString(body, 'certificatePem');
  let privateKeyPem: string | undefined;
  if (certificatePem === undefined) {
    const pair = await generateKeyPair();
    certificatePem = pair.certificatePem;
    privateKeyPem = pair.privateKeyPem;
  }
  const prngSeed = optNumber(body, 'prngSeed');
  const { contacts, cases } = demoCounts(body);
  const info = await seedDemoOrg(org, {
    certificatePem,
    ...(prngSeed !== undefined ? { seed: prngSeed } : {}),
    ...(contacts !== undefined ? { contacts } : {}),
    ...(cases !== undefined ? { cases } : {}),
  });
  org.demo = info;
  org.markBaseline();
  const summary: Record<string, unknown> = { ...info };
  for (const bulky of ['contactIds', 'caseIds', 'articles']) delete summary[bulky];
  return privateKeyPem === undefined ? summary : { ...summary, privateKeyPem };
}

export function listOrgs(call: ControlCall): ControlAnswer {
  return ok(call.em.listOrgs().map(describeOrg));
}

export function getOrg(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  return ok({ ...describeOrg(org), demo: org.demo ?? null });
}

/**
 * `{name?, orgId?, port?, dailyApiLimit?, loginHosts?, acceptOwnUrlAudiences?, settings?, seed?: 'demo' | 'none',
 * certificatePem?}`
 */
export async function createOrg(call: ControlCall): Promise<ControlAnswer> {
  const b = call.body;
  const seed = optString(b, 'seed') ?? 'none';
  if (seed !== 'demo' && seed !== 'none') throw badInput("seed must be 'demo' or 'none'");
  const port = optNumber(b, 'port');
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536))
    throw badInput('port must be 0..65535');
  const name = optString(b, 'name');
  if (name !== undefined && call.em.findOrg(name) !== undefined)
    throw badInput(`an org named ${name} already exists`);
  const orgId = optString(b, 'orgId');
  const dailyApiLimit = dailyLimitOf(b);
  const loginHosts = optStringArray(b, 'loginHosts');
  const acceptOwnUrlAudiences = optBoolean(b, 'acceptOwnUrlAudiences');
  const settings = { ...(seed === 'demo' ? DEMO_SETTINGS : {}), ...settingsOf(optObject(b, 'settings')) };
  if (seed === 'demo') demoCounts(b);
  let org: OrgRuntime;
  try {
    org = await call.em.createOrg({
      settings,
      ...(name !== undefined ? { name } : {}),
      ...(orgId !== undefined ? { orgId } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(dailyApiLimit !== undefined ? { dailyApiLimit } : {}),
      ...(loginHosts !== undefined ? { loginHosts } : {}),
      ...(acceptOwnUrlAudiences !== undefined ? { acceptOwnUrlAudiences } : {}),
    });
  } catch (err) {
    throw badInput(`could not create the org: ${(err as Error).message}`);
  }
  const demo = seed === 'demo' ? await seedDemo(org, b) : undefined;
  return created({ ...describeOrg(org), ...(demo !== undefined ? { demo } : {}) });
}

export async function seedOrg(call: ControlCall): Promise<ControlAnswer> {
  const org = orgOf(call);
  const kind = optString(call.body, 'kind') ?? 'demo';
  if (kind !== 'demo') throw badInput("kind must be 'demo'");
  if (org.demo !== undefined) throw badInput(`org ${org.name} is already seeded with the demo`);
  demoCounts(call.body);
  return ok(await seedDemo(org, call.body));
}

/**
 * Stop an org's listener and forget it. The last org is refused (409): the control plane is served on the orgs'
 * own listeners, so without an org nothing could reach the emulator any more and the process would just end.
 * To stop the emulator, signal it (SIGINT/SIGTERM); to replace the last org, create the new one first.
 */
export function deleteOrg(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  if (call.em.listOrgs().length === 1) {
    throw new ControlError(
      409,
      `org ${org.name} is the last org: the control plane is served on the orgs' listeners, so deleting it would leave the emulator unreachable. Create another org first (POST /__emulator/orgs), or stop the emulator with SIGINT or SIGTERM.`,
    );
  }
  // Closed once the answer is out: the request may have come in on this org's own listener.
  return { body: { deleted: org.orgId }, afterSend: () => call.em.removeOrg(org) };
}

/**
 * Data and connected apps back to right after creation/seeding (refresh tokens of self-approvals made since are
 * revoked); usage to 0; `revokeTokens: true` also ends every session.
 */
export function resetOrg(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  for (const refreshToken of org.resetToBaseline()) call.em.tokens.revoke(refreshToken);
  org.usage.set(0);
  const revoked =
    optBoolean(call.body, 'revokeTokens') === true ? call.em.tokens.expire((s) => s.orgId === org.orgId) : 0;
  return ok({ reset: org.orgId, revokedSessions: revoked });
}

/** org settings (engine) plus `dailyApiLimit` (platform) */
export function configureOrg(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const rest = { ...call.body };
  delete rest['dailyApiLimit'];
  const limit = dailyLimitOf(call.body);
  const settings = settingsOf(rest, org.data.settings);
  if (Object.keys(settings).length > 0) org.data.configure(settings);
  if (limit !== undefined) org.usage.max = limit;
  return ok({ settings: org.data.settings, dailyApiLimit: org.usage.max });
}

export function getLimits(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  return ok({ used: org.usage.used(), max: org.usage.max, remaining: org.usage.remaining() });
}

/** `{dailyApiLimit?, used?}` */
export function setLimits(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const limit = dailyLimitOf(call.body);
  const used = optNumber(call.body, 'used');
  if (used !== undefined && !(Number.isInteger(used) && used >= 0))
    throw badInput('used must be a non-negative integer');
  if (limit !== undefined) org.usage.max = limit;
  if (used !== undefined) org.usage.set(used);
  return getLimits(call);
}

export function getRecord(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const id = call.params[1] ?? '';
  const found = org.data.peek(id);
  if (found === undefined) throw notFoundControl(`no record ${id}`);
  return ok(found);
}

/**
 * `{count, seed?, translations?, translateEvery?, agent?}`: publish `count` generated articles (one master-language
 * version each, translations as asked) straight into the org, deterministically. Not part of the reset baseline.
 */
export function generateKnowledge(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const b = call.body;
  const count = optNumber(b, 'count');
  if (count === undefined) throw badInput('count is required');
  const seed = optNumber(b, 'seed');
  const translations = optStringArray(b, 'translations');
  const translateEvery = optNumber(b, 'translateEvery');
  const agentRef = optString(b, 'agent') ?? org.defaultAgent;
  const author =
    agentRef === undefined
      ? org.data.getUser(org.demo?.adminUsername ?? '')?.['Id']
      : userOf(org, agentRef).Id;
  if (typeof author !== 'string')
    throw badInput('agent (a username or user id) is required: this org has no default agent');
  const started = performance.now();
  const result = org.data.generateArticles(
    {
      count,
      ...(seed !== undefined ? { seed } : {}),
      ...(translations !== undefined ? { translations } : {}),
      ...(translateEvery !== undefined ? { translateEvery } : {}),
    },
    author,
  );
  return created({ ...result, ms: Math.round(performance.now() - started) });
}

/**
 * `{sobject, name, type, label?, length?, values?, restricted?, referenceTo?, relationshipName?, externalId?, unique?,
 * required?}`: add one custom field
 */
export function addCustomField(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const { customFields: existing, customObjects } = org.data.settings;
  const [spec] = customFieldsOf([...existing, call.body], customObjects).slice(existing.length);
  if (spec === undefined) throw badInput('a custom field is required');
  org.data.configure({ customFields: [...existing, spec] });
  return created({
    sobject: spec.sobject,
    name: spec.name,
    customFields: org.data.settings.customFields.length,
  });
}

/**
 * `{name, label, labelPlural?, nameFieldLabel?, fields?: [{name, type, ...}]}`: create a custom object with its
 * custom fields in one step (each field as `POST custom-fields` takes it, without `sobject`)
 */
export function addCustomObject(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const { customFields, customObjects } = org.data.settings;
  const body = { ...call.body };
  const fields = body['fields'] ?? [];
  delete body['fields'];
  if (!Array.isArray(fields)) throw badInput('fields must be an array');
  const objects = customObjectsOf([...customObjects, body]);
  const spec = objects.at(-1);
  if (spec === undefined) throw badInput('a custom object is required');
  const own = fields.map((f: unknown) =>
    typeof f === 'object' && f !== null && !Array.isArray(f) ? { ...f, sobject: spec.name } : f,
  );
  const allFields = customFieldsOf([...customFields, ...own], objects);
  org.data.configure({ customObjects: objects, customFields: allFields });
  return created({
    name: spec.name,
    keyPrefix: customObjectPrefix(objects.length - 1),
    fields: own.length,
  });
}
