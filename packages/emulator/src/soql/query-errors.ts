// SOQL error messages in Salesforce's form: the query echoed with a caret under the offending token, then
// "ERROR at Row:r:Column:c" and the reason (salesforce.md 2.11).

import { SalesforceError } from '../errors.js';

/** Finds where `token` appears in the query (case-insensitive, on word boundaries), for the caret diagram. */
function locate(soql: string, token: string, from = 0): number {
  if (token === '') return soql.length;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'i');
  const m = re.exec(soql.slice(from));
  if (!m) {
    const plain = soql.toLowerCase().indexOf(token.toLowerCase(), from);
    return plain >= 0 ? plain : 0;
  }
  return from + m.index + (m[1]?.length ?? 0);
}

/** Builds a SOQL error whose message carries the caret diagram pointing at `token`. */
export function queryError(
  soql: string,
  token: string,
  errorCode: string,
  reason: string,
  from = 0,
): SalesforceError {
  const offset = locate(soql, token, from);
  const before = soql.slice(0, offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', offset);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = offset - lineStart + 1;
  return new SalesforceError(
    400,
    errorCode,
    `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${reason}`,
  );
}

export const malformed = (soql: string, token: string, reason?: string): SalesforceError =>
  queryError(
    soql,
    token,
    'MALFORMED_QUERY',
    reason ?? `unexpected token: ${token === '' ? '<EOF>' : `'${token}'`}`,
  );

export const noSuchColumn = (soql: string, token: string, field: string, sobject: string): SalesforceError =>
  queryError(
    soql,
    token,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${sobject}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const noSuchRelation = (soql: string, token: string, rel: string): SalesforceError =>
  queryError(
    soql,
    token,
    'INVALID_FIELD',
    `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const unknownType = (soql: string, token: string): SalesforceError =>
  queryError(
    soql,
    token,
    'INVALID_TYPE',
    `sObject type '${token}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const invalidQueryLocator = (): SalesforceError =>
  new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
