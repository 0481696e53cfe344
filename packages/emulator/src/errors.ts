// Salesforce-shaped errors. The emulator speaks Salesforce's error vocabulary, never the connector's.
// REST error bodies are arrays: https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.md

/** One entry of a REST error body: `[{ message, errorCode, fields? }]`. */
export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** An error the REST API answers with: HTTP status plus Salesforce's errorCode and message. */
export class SalesforceError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[] | undefined;

  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.name = 'SalesforceError';
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }

  toBody(): SalesforceErrorBody[] {
    const body: SalesforceErrorBody = { message: this.message, errorCode: this.errorCode };
    if (this.fields !== undefined) body.fields = this.fields;
    return [body];
  }
}

/** An OAuth token-endpoint failure: HTTP 400 `{ error, error_description }`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(error: string, description: string, status = 400) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status;
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const notFound = (): SalesforceError =>
  new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = (): SalesforceError =>
  new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
