// Test fixtures for the org data engine: a fixed clock, an org with an admin, an agent, a support user
// without Knowledge, and an API-less user, and `sfError` to catch what a call must throw. Used only by *.test.ts files.

import assert from 'node:assert/strict';
import type { Clock } from '../clock.js';
import { SalesforceError } from '../errors.js';
import type { CallContext, ObjectPermissions, OrgSettings } from './contract.js';
import { createOrgData, type OrgDataEngine } from './org-data.js';

export class FixedClock implements Clock {
  constructor(public at: Date = new Date('2024-01-15T10:30:00.000Z')) {}

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

const full: Partial<ObjectPermissions> = { read: true, create: true, edit: true, delete: true };

export interface TestOrg {
  org: OrgDataEngine;
  clock: FixedClock;
  admin: CallContext;
  agent: CallContext;
  agent2: CallContext;
  reader: CallContext;
  noApi: CallContext;
  ids: { admin: string; agent: string; agent2: string; reader: string; noApi: string };
}

export function testOrg(settings: Partial<OrgSettings> = {}): TestOrg {
  const clock = new FixedClock();
  const org = createOrgData({
    clock,
    settings: { knowledgeBodyFields: [{ name: 'Answer__c', label: 'Answer' }], ...settings },
  });
  const adminProfile = org.addProfile({
    name: 'System Administrator',
    label: 'System Administrator',
    objectPermissions: {},
    fieldPermissions: {},
    userPermissions: {
      apiEnabled: true,
      modifyAllData: true,
      viewAllData: true,
      viewSetup: true,
      knowledgeUser: true,
      viewDraftArticles: true,
      viewArchivedArticles: true,
    },
  });
  const agentProfile = org.addProfile({
    name: 'Support Agent',
    label: 'Support Agent',
    objectPermissions: { Case: full, Contact: full, Account: { read: true }, Knowledge__kav: { read: true } },
    fieldPermissions: {},
    userPermissions: { apiEnabled: true, knowledgeUser: true },
  });
  const readerProfile = org.addProfile({
    name: 'Read Only',
    label: 'Read Only',
    objectPermissions: { Case: { read: true } },
    fieldPermissions: { 'Case.Description': { readable: false, editable: false } },
    userPermissions: { apiEnabled: true },
  });
  const noApiProfile = org.addProfile({
    name: 'No API',
    label: 'No API',
    objectPermissions: { Case: full },
    fieldPermissions: {},
    userPermissions: {},
  });
  const admin = org.addUser({ username: 'admin@example.com', lastName: 'Admin', profileId: adminProfile.id });
  const agent = org.addUser({
    username: 'agent@example.com',
    firstName: 'Ada',
    lastName: 'Agent',
    profileId: agentProfile.id,
  });
  const agent2 = org.addUser({
    username: 'agent2@example.com',
    lastName: 'Other',
    profileId: agentProfile.id,
  });
  const reader = org.addUser({
    username: 'reader@example.com',
    lastName: 'Reader',
    profileId: readerProfile.id,
  });
  const noApi = org.addUser({ username: 'noapi@example.com', lastName: 'NoApi', profileId: noApiProfile.id });
  const ctx = (userId: string): CallContext => ({ userId, apiVersion: '62.0' });
  return {
    org,
    clock,
    admin: ctx(admin),
    agent: ctx(agent),
    agent2: ctx(agent2),
    reader: ctx(reader),
    noApi: ctx(noApi),
    ids: { admin, agent, agent2, reader, noApi },
  };
}

/** The SalesforceError `fn` throws; fails the test when it returns, and rethrows any other error. */
export function sfError(fn: () => unknown): SalesforceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SalesforceError) return err;
    throw err;
  }
  assert.fail('expected a SalesforceError');
}
