// The mutable state of one org, shared by the engine's modules: settings, schema, records, grants and counters.

import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { Schema } from '../schema/registry.js';
import type { OrgSettings, PermissionGrant } from './contract.js';
import type { ChangeTracker } from './change-tracker.js';
import type { RecordStore } from './store.js';

export interface Counters {
  caseNumber: number;
  articleNumber: number;
}

export interface Assignment {
  profileId: string;
  permissionSetIds: string[];
}

export interface OrgState {
  readonly orgId: string;
  settings: OrgSettings;
  schema: Schema;
  readonly store: RecordStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  counters: Counters;
  grants: Map<string, PermissionGrant>;
  assignments: Map<string, Assignment>;
  /** bumped whenever grants, assignments, users or settings change, to invalidate cached access views */
  accessVersion: number;
  /** notes the records each transaction changes, for change notification (Change Data Capture) */
  readonly changes: ChangeTracker;
}
