// Public API of @casebridge/salesforce-emulator: start the emulator, build orgs in process, seed the demo org.

export { startEmulator, DEFAULT_DATA_DIR, type StartOptions, type StartedEmulator } from './start.js';
export { startInfo, startLines, type StartInfo } from './start-info.js';
export {
  Emulator,
  type EmulatorOptions,
  type CreateOrgOptions,
  type OrgDataFactory,
} from './registry/emulator.js';
export { OrgRuntime } from './registry/org-runtime.js';
export type { ConnectedApp, ConnectedAppSpec, PermittedUsers } from './registry/connected-app.js';
export {
  seedDemoOrg,
  DEMO_ADMIN_USERNAME,
  DEMO_APP_NAME,
  DEMO_BASE_TIME,
  DEMO_CASE_STATUSES,
  DEMO_INTEGRATION_USERNAME,
  DEMO_PERMISSION_SET,
  DEMO_SETTINGS,
  type DemoOrgInfo,
  type DemoSeedOptions,
} from './seed/demo-org.js';
export { ensureKeyPair, generateKeyPair, type KeyPairFiles, type KeyPairPem } from './seed/keys.js';
export { AdjustableClock, type Clock } from './clock.js';
export { FAULT_KINDS, type Fault, type FaultKind, type FaultSpec } from './faults/fault-types.js';
export type { CallLogEntry } from './limits/call-log.js';
export type { TokenLogEntry } from './auth/token-log.js';
export { controlClient, type ControlCall, type ControlEndpoint } from './testing/control-client.js';
