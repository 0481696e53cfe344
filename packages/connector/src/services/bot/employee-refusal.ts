// Salesforce's refusal of an employee's ticket, comment or close, told to the employee: a validation rule's own
// message (its admin wrote it for users), the field and value to change in the bot's words, a locked ticket. What
// the employee cannot act on (a default the operator set, a field the bot never asks for) is the operator's
// BOT_TICKET_SETUP_REFUSED, naming no Salesforce field. The original error stays the cause, for the log.

import { refusalOf, type RecordRefusal } from '../../domain/tickets/record-refusal.js';
import { appError, isAppError, restoreAppError, type AppError } from '../../errors/app-error.js';
import {
  BOT_TICKET_ACCESS_REFUSED,
  BOT_TICKET_FIELD_REQUIRED,
  BOT_TICKET_LOCKED,
  BOT_TICKET_RULE_REFUSED,
  BOT_TICKET_SETUP_REFUSED,
  BOT_TICKET_TEXT_TOO_LONG,
  BOT_TICKET_VALUE_REFUSED,
} from '../../errors/codes/bot.js';

/** What the employee wrote in this call, as the adapter names it (subject, description, priority, text). */
const WRITTEN_BY_EMPLOYEE = new Set(['subject', 'description', 'priority', 'text']);

export interface RefusalContext {
  /** the ticket's number, when the call was about one */
  caseNumber?: string;
  /** the tenant's filing.fields: the bot's field name → the Case field it fills */
  botFields?: Readonly<Record<string, string>>;
  /** the bot fields this call carried (`priority` among them when it did) */
  sentFields?: readonly string[];
}

/** `err` in the employee's words when it is a refusal of the support system; `err` itself otherwise. */
export function forEmployee(err: unknown, context: RefusalContext): unknown {
  const refusal = refusalOf(err);
  if (refusal !== null) return told(refusal, context, err);
  // the replies operation's own errors (REPLY_CASE_CLOSED) name the Case's record id for the operator: not for
  // the employee, who knows the ticket by its number
  if (isAppError(err) && err.details !== undefined && 'caseId' in err.details) {
    const details = Object.fromEntries(Object.entries(err.details).filter(([key]) => key !== 'caseId'));
    return restoreAppError({ ...err.toJSON().error, details }, err.httpStatus, undefined);
  }
  return err;
}

function told(refusal: RecordRefusal, context: RefusalContext, cause: unknown): AppError {
  const ticket = context.caseNumber ?? 'the ticket';
  const byCaseField = new Map(
    Object.entries(context.botFields ?? {}).map(([bot, caseField]) => [caseField.toLowerCase(), bot]),
  );
  /** the field in the bot's words, when it is one the employee can give; null when it is not */
  const employeeName = (field: string): string | null => {
    if (WRITTEN_BY_EMPLOYEE.has(field)) return field;
    return byCaseField.get(field.toLowerCase()) ?? null;
  };
  const named = refusal.fields.map(employeeName);
  const allNamed = named.length > 0 && named.every((n): n is string => n !== null);
  const setup = (reason: string): AppError =>
    appError(BOT_TICKET_SETUP_REFUSED, { params: { reason }, cause });
  switch (refusal.kind) {
    case 'rule': {
      const field = named.find((n) => n !== null);
      return appError(BOT_TICKET_RULE_REFUSED, {
        params: { rule: refusal.message || 'a rule of the support team refused it' },
        ...(field === undefined ? {} : { details: { field } }),
        cause,
      });
    }
    case 'value-not-allowed': {
      const [field] = named;
      // a value the employee chose; a default or status the operator set is theirs to fix
      if (!allNamed || field === undefined || field === null || !sentByEmployee(field, context))
        return setup('a value the organisation does not accept');
      return appError(BOT_TICKET_VALUE_REFUSED, {
        params: { field, value: refusal.value ?? '' },
        details: { field, ...(refusal.value === undefined ? {} : { value: refusal.value }) },
        cause,
      });
    }
    case 'required': {
      if (!allNamed) return setup('a required field the bot does not fill');
      const fields = named;
      return appError(BOT_TICKET_FIELD_REQUIRED, {
        params: { fields: fields.join(', ') },
        details: { fields },
        cause,
      });
    }
    case 'too-long': {
      const [field] = named;
      if (field === undefined || field === null) return setup('a default text longer than its field');
      return appError(BOT_TICKET_TEXT_TOO_LONG, {
        params: { field, max: refusal.maxLength ?? 'fewer' },
        details: { field, ...(refusal.maxLength === undefined ? {} : { maxLength: refusal.maxLength }) },
        cause,
      });
    }
    case 'locked':
      return appError(BOT_TICKET_LOCKED, { params: { case: ticket }, cause });
    case 'no-access':
      return appError(BOT_TICKET_ACCESS_REFUSED, { params: { case: ticket }, cause });
  }
}

/** the texts are always the employee's; a priority or bot field only when this call carried it */
const sentByEmployee = (field: string, context: RefusalContext): boolean =>
  ['subject', 'description', 'text'].includes(field) || (context.sentFields ?? []).includes(field);
