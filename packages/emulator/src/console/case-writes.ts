// What an agent changes in the console: ordinary writes of that agent through the data engine's permission-checked
// operations (create/update with a CallContext), so audit fields (LastModifiedDate, SystemModstamp,
// LastModifiedById) move and the agent's object, field and sharing access apply. Each write is one entry in the
// emulator's call log, under a `/console/...` path and never counted against the API allocation: it is a UI
// action, not an API call.

import { SalesforceError } from '../errors.js';
import type { CallContext, OrgData } from '../org/contract.js';

export interface UiActionLog {
  add(entry: {
    time: string;
    orgId: string;
    userId: string | null;
    method: string;
    path: string;
    status: number;
    errorCode: string | null;
    durationMs: number;
    counted: boolean;
  }): void;
}

export type WriteOutcome = { ok: true; message: string } | { ok: false; errorCode: string; message: string };

export interface CaseChange {
  status?: string;
  ownerId?: string;
}

export class CaseWrites {
  constructor(
    private readonly data: OrgData,
    private readonly log: UiActionLog,
    private readonly now: () => Date,
  ) {}

  comment(ctx: CallContext, caseId: string, body: string, isPublic: boolean): WriteOutcome {
    return this.run(ctx, `/console/cases/${caseId}/comments`, () => {
      this.data.create(ctx, 'CaseComment', { ParentId: caseId, CommentBody: body, IsPublished: isPublic });
      return isPublic ? 'Public comment posted.' : 'Internal note saved.';
    });
  }

  change(ctx: CallContext, caseId: string, change: CaseChange): WriteOutcome {
    return this.run(ctx, `/console/cases/${caseId}`, () => {
      const fields: Record<string, string> = {};
      if (change.status !== undefined) fields['Status'] = change.status;
      if (change.ownerId !== undefined) fields['OwnerId'] = change.ownerId;
      if (Object.keys(fields).length === 0) return 'Nothing to change.';
      this.data.update(ctx, 'Case', caseId, fields);
      return 'Case updated.';
    });
  }

  private run(ctx: CallContext, path: string, write: () => string): WriteOutcome {
    const started = performance.now();
    let outcome: WriteOutcome;
    let status = 303;
    try {
      outcome = { ok: true, message: write() };
    } catch (err) {
      if (!(err instanceof SalesforceError)) throw err;
      status = err.status;
      outcome = { ok: false, errorCode: err.errorCode, message: err.message };
    }
    this.log.add({
      time: this.now().toISOString(),
      orgId: this.data.orgId,
      userId: ctx.userId,
      method: 'POST',
      path,
      status,
      errorCode: outcome.ok ? null : outcome.errorCode,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      counted: false,
    });
    return outcome;
  }
}
