// The seeded demo org: the customer setup of seed/salesforce-access-requirements.txt (integration user, permission
// set `casebridge_connected_app`, connected app `Casebridge_Server` with admin-approved users pre-authorized and a
// 24-hour session timeout), employees as Contacts, agents, 100 Knowledge articles and cases in every status.
// Deterministic: a seeded PRNG and a fixed base time, so two seeds of the same options yield the same story.

import type { CaseStatusSpec, OrgSettings, PermissionGrant } from '../org/contract.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { articleVersionObjectName } from '../schema/knowledge.js';
import { Prng } from '../util/prng.js';
import type { DemoOrgInfo } from './demo-org-info.js';
import { bodyToHtml, loadArticles, summaryOf, urlNameOf } from './articles.js';
import {
  AGENT_INTERNAL_NOTES,
  AGENT_PUBLIC_REPLIES,
  CASE_STORIES,
  EMPLOYEE_REPLIES,
  ORIGINS,
} from './case-stories.js';
import { APOSTROPHE_LAST, DEPARTMENTS, TITLES, emailLocal, personName } from './people.js';

export const DEMO_DOMAIN = 'demo.example.com';
export const DEMO_INTEGRATION_USERNAME = `casebridge-integration@${DEMO_DOMAIN}`;
export const DEMO_ADMIN_USERNAME = `admin@${DEMO_DOMAIN}`;
export const DEMO_APP_NAME = 'Casebridge_Server';
export const DEMO_PERMISSION_SET = 'casebridge_connected_app';
/** the end of the seeded story; records are dated in the 60 days before it */
export const DEMO_BASE_TIME = new Date('2026-11-20T17:00:00.000Z');

export const DEMO_CASE_STATUSES: CaseStatusSpec[] = [
  { apiName: 'New', label: 'New', isClosed: false, isDefault: true, sortOrder: 1 },
  { apiName: 'Working', label: 'Working', isClosed: false, sortOrder: 2 },
  { apiName: 'Escalated', label: 'Escalated', isClosed: false, sortOrder: 3 },
  { apiName: 'Waiting on Employee', label: 'Waiting on Employee', isClosed: false, sortOrder: 4 },
  { apiName: 'Resolved', label: 'Resolved', isClosed: true, sortOrder: 5 },
  { apiName: 'Closed', label: 'Closed', isClosed: true, sortOrder: 6 },
];

export const DEMO_SETTINGS: Partial<OrgSettings> = {
  name: 'Casebridge Demo',
  knowledgeEnabled: true,
  knowledgeBodyFields: [{ name: 'Answer__c', label: 'Answer' }],
  caseStatuses: DEMO_CASE_STATUSES,
  caseSharingDefault: 'Private',
  isSandbox: false,
  organizationType: 'Developer Edition',
};

/**
 * How many Contacts and Cases the demo seed makes at most: the story spaces them minutes apart inside the 60 days
 * before its base time, and more would date records after it (or take minutes to seed).
 */
export const DEMO_COUNT_BOUNDS = { contacts: { min: 1, max: 4000 }, cases: { min: 0, max: 1000 } } as const;

/** a message saying what is wrong with the counts, or undefined when they are in bounds */
export function demoCountProblem(counts: { contacts?: number; cases?: number }): string | undefined {
  for (const key of ['contacts', 'cases'] as const) {
    const value = counts[key];
    const { min, max } = DEMO_COUNT_BOUNDS[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      return `${key} must be a whole number from ${min} to ${max}, not ${value}`;
    }
  }
  return undefined;
}

export interface DemoSeedOptions {
  /** PEM of the certificate uploaded to the connected app (the key pair start writes out) */
  certificatePem: string;
  /** PRNG seed (default 20261124) */
  seed?: number;
  baseTime?: Date;
  consumerKey?: string;
  consumerSecret?: string;
  /** number of employee Contacts (default 300, 1 to 4,000) */
  contacts?: number;
  /** number of Cases (default 60, 0 to 1,000) */
  cases?: number;
  /** path of the articles JSONL (default packages/emulator/data/kb/articles.jsonl) */
  articlesPath?: string;
  /** password of every demo user for the username-password grant (default `demo-password-1`) */
  password?: string;
}

export type { DemoOrgInfo } from './demo-org-info.js';

const MINUTE = 60_000;
const ALL = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
const READ = { read: true };
const RCE = { read: true, create: true, edit: true };

function adminProfile(kav: string): Omit<PermissionGrant, 'id'> {
  return {
    name: 'System Administrator',
    label: 'System Administrator',
    objectPermissions: {
      Account: ALL,
      Contact: ALL,
      Case: ALL,
      CaseComment: ALL,
      [kav]: ALL,
      User: ALL,
    },
    fieldPermissions: {},
    userPermissions: {
      apiEnabled: true,
      viewSetup: true,
      viewAllData: true,
      modifyAllData: true,
      viewDraftArticles: true,
      viewArchivedArticles: true,
      knowledgeUser: true,
    },
  };
}

function agentProfile(kav: string): Omit<PermissionGrant, 'id'> {
  return {
    name: 'Support Agent',
    label: 'Support Agent',
    objectPermissions: {
      Account: READ,
      Contact: { read: true, edit: true },
      Case: { ...RCE, viewAll: true },
      CaseComment: { ...RCE, delete: true },
      [kav]: RCE,
    },
    fieldPermissions: {},
    userPermissions: {
      apiEnabled: true,
      viewDraftArticles: true,
      viewArchivedArticles: true,
      knowledgeUser: true,
    },
  };
}

/** the integration user's profile: no object access and no View All; everything comes from the permission set */
function integrationProfile(): Omit<PermissionGrant, 'id'> {
  return {
    name: 'Casebridge Integration',
    label: 'Casebridge Integration (Minimum Access)',
    objectPermissions: {},
    fieldPermissions: {},
    userPermissions: {},
  };
}

/** what the requirements grant: read Contact and Knowledge, read/create/edit Case (View All) and CaseComment */
function connectedAppPermissionSet(kav: string): Omit<PermissionGrant, 'id'> {
  return {
    name: DEMO_PERMISSION_SET,
    label: DEMO_PERMISSION_SET,
    objectPermissions: {
      Contact: READ,
      [kav]: READ,
      Case: { ...RCE, viewAll: true },
      CaseComment: RCE,
    },
    fieldPermissions: {},
    userPermissions: { apiEnabled: true, knowledgeUser: true },
  };
}

/**
 * The channel flags of the i-th demo article, as a help desk sets them: most are published to the customer site
 * and the public knowledge base, every seventh is internal only (agents' notes), every fifth of the rest goes to
 * the signed-in customer site only, every fourth also to partners. Every article is visible in the internal app
 * (Salesforce does not let it be unticked).
 */
export function channelsOf(i: number): Record<string, boolean> {
  const internalOnly = i % 7 === 6;
  const customerOnly = !internalOnly && i % 5 === 2;
  return {
    IsVisibleInApp: true,
    IsVisibleInCsp: !internalOnly,
    IsVisibleInPkb: !internalOnly && !customerOnly,
    IsVisibleInPrm: !internalOnly && i % 4 === 0,
  };
}

function randomKey(prng: Prng, prefix: string, length: number, chars: string): string {
  let out = prefix;
  for (let i = 0; i < length; i++) out += chars[prng.int(0, chars.length - 1)] ?? 'A';
  return out;
}

export async function seedDemoOrg(org: OrgRuntime, options: DemoSeedOptions): Promise<DemoOrgInfo> {
  const countProblem = demoCountProblem(options);
  if (countProblem !== undefined) throw new RangeError(countProblem);
  const prng = new Prng(options.seed ?? 20261124);
  const end = (options.baseTime ?? DEMO_BASE_TIME).getTime();
  let now = end - 60 * 24 * 60 * MINUTE;
  const at = (t: number): void => org.clock.pin(new Date(t));
  const password = options.password ?? 'demo-password-1';
  const data = org.data;
  at(now);
  try {
    // The demo's articles write Answer__c: keep the org's own body fields and add it when missing.
    const bodyFields = data.settings.knowledgeBodyFields;
    data.configure({
      ...DEMO_SETTINGS,
      knowledgeBodyFields: bodyFields.some((f) => f.name === 'Answer__c')
        ? bodyFields
        : [...bodyFields, { name: 'Answer__c', label: 'Answer' }],
    });
    // the org's own article object (Knowledge__kav unless it was created with another knowledgeObjectName)
    const kav = articleVersionObjectName(data.settings);

    const admin = data.addProfile(adminProfile(kav));
    const agent = data.addProfile(agentProfile(kav));
    const integration = data.addProfile(integrationProfile());
    const permSet = data.addPermissionSet(connectedAppPermissionSet(kav));

    const adminId = data.addUser({
      username: DEMO_ADMIN_USERNAME,
      email: DEMO_ADMIN_USERNAME,
      firstName: 'Dana',
      lastName: 'Admin',
      alias: 'dadmin',
      profileId: admin.id,
    });
    const integrationUserId = data.addUser({
      username: DEMO_INTEGRATION_USERNAME,
      email: DEMO_INTEGRATION_USERNAME,
      firstName: 'Casebridge',
      lastName: 'Integration',
      alias: 'cbint',
      profileId: integration.id,
      permissionSetIds: [permSet.id],
    });
    const agentNames = [
      ['Alex', 'Morgan'],
      ['Priya', 'Raman'],
      ['Tom', 'Becker'],
      ['Lucia', 'Ferreira'],
    ] as const;
    const agentIds: string[] = [];
    const agentUsernames: string[] = [];
    for (const [first, last] of agentNames) {
      const username = `${first.toLowerCase()}.${last.toLowerCase()}@${DEMO_DOMAIN}`;
      agentUsernames.push(username);
      agentIds.push(
        data.addUser({
          username,
          email: username,
          firstName: first,
          lastName: last,
          alias: `${first[0] ?? ''}${last.slice(0, 4)}`.toLowerCase(),
          profileId: agent.id,
        }),
      );
    }
    const inactiveUsername = `former.agent@${DEMO_DOMAIN}`;
    const inactiveId = data.addUser({
      username: inactiveUsername,
      email: inactiveUsername,
      firstName: 'Former',
      lastName: 'Agent',
      alias: 'formr',
      profileId: agent.id,
      isActive: false,
    });
    for (const id of [adminId, integrationUserId, ...agentIds, inactiveId]) org.passwords.set(id, password);
    org.defaultAgent = agentUsernames[0];

    const app = await org.addApp({
      name: DEMO_APP_NAME,
      consumerKey:
        options.consumerKey ??
        randomKey(prng, '3MVG9', 80, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._'),
      consumerSecret: options.consumerSecret ?? randomKey(prng, '', 64, '0123456789ABCDEF'),
      certificatePem: options.certificatePem,
      permittedUsers: 'admin_approved',
      sessionTimeoutMinutes: 24 * 60,
      scopes: ['api', 'refresh_token', 'offline_access'],
      permissionSetIds: [permSet.id],
      profileIds: [admin.id],
    });

    const accountId = data.insert('Account', { Name: 'Demo Corp' }, adminId);

    // Employees. A handful share an email (ambiguous matches) and some carry an apostrophe (o'brien@...).
    const contactIds: string[] = [];
    const contactEmails: { id: string; name: string; email: string }[] = [];
    const usedEmails = new Set<string>();
    const contactCount = options.contacts ?? 300;
    for (let i = 0; i < contactCount; i++) {
      now += prng.int(1, 20) * MINUTE;
      at(now);
      const { firstName } = personName(prng);
      const lastName =
        i % 60 === 7 ? (APOSTROPHE_LAST[(i / 60) | 0] ?? "O'Brien") : personName(prng).lastName;
      let email = `${emailLocal(firstName, lastName)}@${DEMO_DOMAIN}`;
      const shared = i % 75 === 74 ? contactEmails[contactEmails.length - 3] : undefined;
      if (shared !== undefined) email = shared.email;
      else
        for (let n = 2; usedEmails.has(email); n++)
          email = `${emailLocal(firstName, lastName)}${n}@${DEMO_DOMAIN}`;
      usedEmails.add(email);
      const id = data.insert(
        'Contact',
        {
          FirstName: firstName,
          LastName: lastName,
          Email: email,
          AccountId: accountId,
          Department: prng.pick(DEPARTMENTS),
          Title: prng.pick(TITLES),
        },
        adminId,
      );
      contactIds.push(id);
      contactEmails.push({ id, name: `${firstName} ${lastName}`, email });
    }

    // Knowledge: every article published; a few with older archived versions; two with a pending draft.
    const sources = await loadArticles(options.articlesPath);
    const urlNames = new Set<string>();
    const articles: DemoOrgInfo['articles'] = [];
    for (const [i, source] of sources.entries()) {
      now += prng.int(5, 60) * MINUTE;
      at(now);
      const author = agentIds[i % agentIds.length] ?? adminId;
      const html = bodyToHtml(source.body);
      const fields = {
        Title: source.title,
        UrlName: urlNameOf(source.title, urlNames),
        Summary: summaryOf(source.body),
        Answer__c: html,
        ...channelsOf(i),
      };
      const oldVersion = i % 20 === 3;
      let versionId = data.insert(
        kav,
        oldVersion ? { ...fields, Answer__c: `<p>(Earlier version.)</p>${html}` } : fields,
        author,
      );
      data.publishArticle(versionId, author);
      const articleId = data.peek(versionId)?.record['KnowledgeArticleId'];
      const knowledgeArticleId = typeof articleId === 'string' ? articleId : '';
      if (oldVersion) {
        now += prng.int(60, 600) * MINUTE;
        at(now);
        versionId = data.newDraftVersion(knowledgeArticleId, author);
        data.patch(kav, versionId, { Answer__c: html }, author);
        data.publishArticle(versionId, author);
      }
      if (i === 10 || i === 50) {
        const draftId = data.newDraftVersion(knowledgeArticleId, author);
        data.patch(kav, draftId, { Answer__c: `${html}<p>Draft: update pending review.</p>` }, author);
      }
      articles.push({ sourceId: source.id, title: source.title, knowledgeArticleId, versionId });
    }

    // Cases in every status, with public and internal comments from agents and the integration user.
    const statuses = DEMO_CASE_STATUSES.map((s) => s.apiName);
    const caseIds: string[] = [];
    const caseCount = options.cases ?? 60;
    now = end - 30 * 24 * 60 * MINUTE;
    for (let i = 0; i < caseCount; i++) {
      now += prng.int(30, Math.max(31, Math.floor((28 * 24 * 60) / caseCount))) * MINUTE;
      let t = now;
      at(t);
      const story = prng.pick(CASE_STORIES);
      const status = i < statuses.length ? (statuses[i] ?? 'New') : prng.pick(statuses);
      const ownerIndex = prng.int(0, agentIds.length - 1);
      const owner = agentIds[ownerIndex] ?? adminId;
      const contact = prng.pick(contactEmails);
      const fromEmail = i % 8 === 5;
      const origin = fromEmail ? 'Email' : prng.pick(ORIGINS.filter((o) => o !== 'Email'));
      const base = {
        Subject: story.subject,
        Description: story.description,
        Priority: story.priority,
        Status: 'New',
        Origin: origin,
        OwnerId: owner,
      };
      // Filed from email: Email-to-Case fills only SuppliedEmail/SuppliedName when no contact matched.
      const fields = fromEmail
        ? { ...base, SuppliedEmail: contact.email, SuppliedName: contact.name }
        : { ...base, ContactId: contact.id, AccountId: accountId };
      const filer = origin === 'Web' || origin === 'Chat' ? integrationUserId : owner;
      const caseId = data.insert('Case', fields, filer);
      caseIds.push(caseId);
      const comment = (body: string, isPublic: boolean, by: string): void => {
        t += prng.int(10, 600) * MINUTE;
        at(t);
        data.insert('CaseComment', { ParentId: caseId, CommentBody: body, IsPublished: isPublic }, by);
      };
      if (status !== 'New') comment(prng.pick(AGENT_PUBLIC_REPLIES), true, owner);
      if (status !== 'New' && prng.chance(0.6)) comment(prng.pick(EMPLOYEE_REPLIES), true, integrationUserId);
      if (status === 'Escalated' || prng.chance(0.3)) comment(prng.pick(AGENT_INTERNAL_NOTES), false, owner);
      if (status === 'Waiting on Employee')
        comment('Could you please confirm whether the issue still happens?', true, owner);
      if (status === 'Resolved')
        comment('This should now be resolved. Please reply if you still see the problem.', true, owner);
      if (status === 'Closed')
        comment(
          prng.pick(['Thanks, it works again.', 'Great, thank you for the quick help!']),
          true,
          integrationUserId,
        );
      if (status !== 'New') {
        t += prng.int(5, 120) * MINUTE;
        at(t);
        data.patch('Case', caseId, { Status: status }, owner);
      }
    }

    return {
      orgId: org.orgId,
      loginUrl: org.loginUrl,
      username: DEMO_INTEGRATION_USERNAME,
      integrationUserId,
      adminUsername: DEMO_ADMIN_USERNAME,
      agentUsernames,
      inactiveUsername,
      password,
      connectedAppName: app.name,
      consumerKey: app.consumerKey,
      consumerSecret: app.consumerSecret,
      permissionSetId: permSet.id,
      accountId,
      contactIds,
      caseIds,
      articles,
    };
  } finally {
    org.clock.pin(undefined);
  }
}
