// Why the support system refused to save a record, in casebridge's words: the Salesforce adapter classifies its
// errorCodes into these kinds (salesforce/rest/api-errors.ts) and puts one in the error's `details.refusal`, so
// the bot can tell an employee what to change without knowing Salesforce's vocabulary.

export type RefusalKind =
  /** an admin's validation rule; `message` is the rule's own text, written for users */
  | 'rule'
  /** a value the field does not accept (a restricted picklist without it); `value` is the value refused */
  | 'value-not-allowed'
  /** `fields` must have a value and had none */
  | 'required'
  /** a text longer than the field holds; `maxLength` when the system said */
  | 'too-long'
  /** the record may not be changed now (an approval process locks it) */
  | 'locked'
  /** the service user may not change this record */
  | 'no-access';

export interface RecordRefusal {
  kind: RefusalKind;
  /**
   * The fields concerned: casebridge's own names for what it writes itself (`subject`, `description`, `priority`,
   * `text` for a comment's body), else the org's field names as the tenant's settings name them.
   */
  fields: string[];
  message: string;
  value?: string;
  maxLength?: number;
}

const KINDS = new Set<string>(['rule', 'value-not-allowed', 'required', 'too-long', 'locked', 'no-access']);

/** The refusal an error carries in `details.refusal`, if it is one. */
export function refusalOf(err: unknown): RecordRefusal | null {
  if (typeof err !== 'object' || err === null) return null;
  const details = (err as { details?: unknown }).details;
  if (typeof details !== 'object' || details === null) return null;
  const refusal = (details as { refusal?: unknown }).refusal;
  if (typeof refusal !== 'object' || refusal === null) return null;
  const r = refusal as Partial<RecordRefusal>;
  if (typeof r.kind !== 'string' || !KINDS.has(r.kind) || !Array.isArray(r.fields)) return null;
  return r as RecordRefusal;
}
