// Registers an emulator org as a tenant through the admin operations, with the demo app's key pair: the set-up
// the runtime-level integration tests share.

import { readFileSync } from 'node:fs';

import type { StartedEmulator } from '@casebridge/salesforce-emulator';

import type { AdminOperations } from '../../src/services/admin-operations.js';

export async function addEmulatorTenant(
  admin: AdminOperations,
  em: StartedEmulator,
  id: string,
): Promise<void> {
  await admin.addTenant({
    id,
    loginUrl: em.loginUrl,
    consumerKey: em.consumerKey,
    username: em.username,
    privateKeyPem: readFileSync(em.privateKeyPath, 'utf8'),
    certificatePem: readFileSync(em.certificatePath, 'utf8'),
  });
}
