// What one org's listener needs from the platform: everything the OAuth endpoints, the data API and the control
// plane use, plus the call log and faults it applies around them. The registry's `Emulator` implements it and
// builds each listener with itself; nothing under http/, auth/ or control/ imports the registry's `Emulator`.

import type { AuthPlatform } from '../auth/auth-platform.js';
import type { AdjustableClock } from '../clock.js';
import type { ControlPlatform } from '../control/control-platform.js';
import type { DataPlatform } from './data-platform.js';

export interface OrgServerPlatform extends AuthPlatform, DataPlatform, ControlPlatform {
  readonly clock: AdjustableClock;
}
