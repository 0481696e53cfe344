// A delivered notification is heard by `delivered` (the bot forgets that employee's fresh reads), and only once
// delivered: a failed delivery tells nobody.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import { silentLogger } from '../../logging/logger.js';
import { rememberNotifications } from './notification-memory.js';

const payload = {
  tenantId: 'acme',
  employeeId: '003A',
  kind: 'closed',
  caseNumber: '00001001',
  state: 'CLOSED',
};

void test('delivered hears of each delivered notification, never of a failed one', async () => {
  const heard: string[] = [];
  const voice = { speak: () => Promise.resolve() };
  const delivered = (n: TicketNotification): void => {
    heard.push(`${n.tenantId}/${n.employeeId}`);
  };
  await rememberNotifications(() => Promise.resolve(), voice, silentLogger(), delivered)({ payload });
  assert.deepEqual(heard, ['acme/003A']);
  const failing = rememberNotifications(
    () => Promise.reject(new Error('down')),
    voice,
    silentLogger(),
    delivered,
  );
  await assert.rejects(failing({ payload }));
  assert.deepEqual(heard, ['acme/003A']);
});
