// What the REST data API needs from the platform that hosts every org: the clock, the token store and the served
// API versions. The registry's `Emulator` provides it; the HTTP layer never imports the registry.

import type { Clock } from '../clock.js';
import type { TokenStore } from '../auth/token-store.js';

export interface DataPlatform {
  readonly clock: Clock;
  readonly tokens: TokenStore;
  readonly minApiVersion: number;
  readonly maxApiVersion: number;
  /** true when `version` (e.g. `62.0`) is served */
  servesVersion(version: string): boolean;
}
