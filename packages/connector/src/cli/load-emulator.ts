// Loads the emulator, an optional dependency: production installs may leave it out, so it is imported lazily and
// its absence is a clear error rather than a crash at start.

import type * as EmulatorApi from '@casebridge/salesforce-emulator';

import { appError } from '../errors/app-error.js';
import { CLI_EMULATOR_MISSING } from '../errors/codes/admin.js';

export type EmulatorModule = typeof EmulatorApi;

export async function loadEmulator(): Promise<EmulatorModule> {
  try {
    return await import('@casebridge/salesforce-emulator');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw appError(CLI_EMULATOR_MISSING, { cause: err });
    throw err;
  }
}
