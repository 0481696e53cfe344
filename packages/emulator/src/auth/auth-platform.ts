// What the OAuth endpoints need from the platform that hosts every org: the clock, the token store and log, and
// two settings. The registry's `Emulator` provides it; the auth layer never imports the registry.

import type { Clock } from '../clock.js';
import type { TokenLog } from './token-log.js';
import type { TokenStore } from './token-store.js';

export interface AuthPlatform {
  readonly clock: Clock;
  readonly tokens: TokenStore;
  readonly tokenLog: TokenLog;
  /** the newest served API version (the identity document's URLs name it) */
  readonly maxApiVersion: number;
  /** reject a JWT whose `exp` is more than 3 minutes ahead */
  readonly strictJwtExpiry: boolean;
}
