// IdempotentWrites against the FakeSalesforceGateway: whatever happens to the first attempt (answered, timed out
// after Salesforce made the case, refused with a 503 before it did), one idempotency key is one Case; two keys are two.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { NewSupportCase, SalesforceGateway } from '../domain/ports.js';
import { appError, isAppError } from '../errors/app-error.js';
import { SF_API_UNAVAILABLE, SF_API_WRITE_OUTCOME_UNKNOWN } from '../errors/codes/salesforce-api.js';
import { FakeSalesforceGateway } from '../../test/fakes/fake-salesforce-gateway.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemoryWriteIntentRepository } from '../../test/fakes/memory-write-intents.js';
import { IdempotentWrites } from './idempotent-writes.js';

const EXTERNAL_ID = 'Casebridge_Key__c';

function setup() {
  const clock = new FixedClock();
  const org = new FakeSalesforceGateway({ clock });
  const sut = new IdempotentWrites({
    intents: new MemoryWriteIntentRepository({ tenants: new Set(['acme']), clock }),
    clock,
  });
  return { clock, org, sut };
}

const printerJam = (key: string, extra: Partial<NewSupportCase> = {}): NewSupportCase => ({
  subject: 'Printer jam on floor 3',
  description: 'Tray 2 is stuck.',
  status: 'New',
  employeeId: null,
  origin: 'Web',
  idempotencyKey: key,
  ...extra,
});

/**
 * The org behind a network that fails the first createCase: `after-write`, Salesforce made the case but the answer
 * never came (a timeout); `before-write`, Salesforce answered 503 and made nothing.
 */
function firstCreateFails(
  org: FakeSalesforceGateway,
  when: 'after-write' | 'before-write',
): SalesforceGateway {
  let failed = false;
  return new Proxy(org, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'createCase' || failed)
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      return async (input: NewSupportCase) => {
        failed = true;
        if (when === 'after-write') {
          await target.createCase(input);
          throw appError(SF_API_WRITE_OUTCOME_UNKNOWN, {
            params: { object: 'Case', tenant: 'acme', reason: 'socket timeout' },
          });
        }
        throw appError(SF_API_UNAVAILABLE, {
          params: { tenant: 'acme', attempts: 1, reason: 'HTTP 503 SERVER_UNAVAILABLE' },
        });
      };
    },
  });
}

/** what an agent does to a case before the retry: its description rewritten, casebridge's reference gone with it */
function agentRewritesDescription(org: FakeSalesforceGateway, caseId: string): void {
  const stored = org.cases.get(caseId);
  assert.ok(stored);
  stored.description = 'Rewritten by the service desk: tray 2, floor 3.';
}

describe('IdempotentWrites.createCase', () => {
  test('the same key twice is one Case, even after an agent rewrote its description', async () => {
    const { org, sut } = setup();
    const first = await sut.createCase('acme', org, printerJam('file:printer'));
    agentRewritesDescription(org, first.id);
    const again = await sut.createCase('acme', org, printerJam('file:printer'));
    assert.equal(again.id, first.id);
    assert.equal(org.cases.size, 1);
  });

  test('a first attempt that timed out after Salesforce made the case is found by its reference, not made again', async () => {
    const { org, sut } = setup();
    const flaky = firstCreateFails(org, 'after-write');
    await assert.rejects(sut.createCase('acme', flaky, printerJam('file:printer')), (err) =>
      isAppError(err, 'SF_API_WRITE_OUTCOME_UNKNOWN'),
    );
    assert.equal(org.cases.size, 1, 'Salesforce made the case');
    const [made] = [...org.cases.values()];
    const retried = await sut.createCase('acme', flaky, printerJam('file:printer'));
    assert.equal(retried.id, made?.id);
    assert.equal(org.cases.size, 1);
    const later = await sut.createCase('acme', flaky, printerJam('file:printer'));
    assert.equal(later.id, made?.id);
    assert.equal(org.cases.size, 1);
  });

  test('with an external-ID field, a timed-out first attempt is found by that field though its reference is gone', async () => {
    const { org, sut } = setup();
    const flaky = firstCreateFails(org, 'after-write');
    const input = printerJam('file:printer', { externalIdField: EXTERNAL_ID });
    await assert.rejects(sut.createCase('acme', flaky, input), (err) =>
      isAppError(err, 'SF_API_WRITE_OUTCOME_UNKNOWN'),
    );
    const [made] = [...org.cases.values()];
    assert.ok(made);
    agentRewritesDescription(org, made.id);
    const retried = await sut.createCase('acme', flaky, input);
    assert.equal(retried.id, made.id);
    assert.equal(org.cases.size, 1);
  });

  test('a retry after a 503 writes the case once', async () => {
    const { org, sut } = setup();
    const flaky = firstCreateFails(org, 'before-write');
    await assert.rejects(sut.createCase('acme', flaky, printerJam('file:printer')), (err) =>
      isAppError(err, 'SF_API_UNAVAILABLE'),
    );
    assert.equal(org.cases.size, 0, 'the 503 made nothing');
    const retried = await sut.createCase('acme', flaky, printerJam('file:printer'));
    assert.equal(org.cases.size, 1);
    assert.equal(org.cases.get(retried.id)?.subject, 'Printer jam on floor 3');
    const again = await sut.createCase('acme', flaky, printerJam('file:printer'));
    assert.equal(again.id, retried.id);
    assert.equal(org.cases.size, 1);
  });

  test('two keys are two cases, even with the same text', async () => {
    const { org, sut } = setup();
    const first = await sut.createCase('acme', org, printerJam('file:printer:1'));
    const second = await sut.createCase('acme', org, printerJam('file:printer:2'));
    assert.notEqual(second.id, first.id);
    assert.equal(org.cases.size, 2);
  });
});
