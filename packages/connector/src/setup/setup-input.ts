// What the admin's checklist and the metadata package are made from: a tenant's names and certificate, with the
// defaults of the Salesforce access requirements (app Casebridge_Server, permission set casebridge_connected_app).

import { DEFAULT_API_VERSION } from '../domain/tenant.js';
import { appError } from '../errors/app-error.js';
import { TENANT_INVALID } from '../errors/codes/tenant.js';

export const DEFAULT_APP_NAME = 'Casebridge_Server';
export const DEFAULT_PERMISSION_SET = 'casebridge_connected_app';

export interface SetupInput {
  /** the app's API name (and label); default Casebridge_Server */
  appName?: string;
  /** permission set API name (and label); default casebridge_connected_app */
  permissionSetName?: string;
  contactEmail: string;
  /** PEM certificate of the tenant's key pair (public: it is uploaded to Salesforce) */
  certificatePem: string;
  /** login.salesforce.com, test.salesforce.com or the org's My Domain URL */
  loginUrl: string;
  /** the service user's Salesforce username */
  username: string;
  /** the tenant id, for the `casebridge doctor <tenant>` line */
  tenantId?: string;
  /** whether the org uses Knowledge (the permission set then grants read on Knowledge__kav) */
  knowledge?: boolean;
  apiVersion?: string;
}

export interface ResolvedSetupInput extends Required<Omit<SetupInput, 'tenantId'>> {
  tenantId: string | undefined;
  /** OAuth callback URL: unused by the JWT bearer flow but required by the form; the login URL, as the guide does */
  callbackUrl: string;
}

// API names: a letter first, then letters, digits and single underscores, no trailing underscore (Salesforce's rule)
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$/;

export function resolveSetupInput(input: SetupInput): ResolvedSetupInput {
  const resolved: ResolvedSetupInput = {
    appName: input.appName ?? DEFAULT_APP_NAME,
    permissionSetName: input.permissionSetName ?? DEFAULT_PERMISSION_SET,
    contactEmail: input.contactEmail.trim(),
    certificatePem: `${input.certificatePem.trim()}\n`,
    loginUrl: input.loginUrl.replace(/\/+$/, ''),
    username: input.username.trim(),
    tenantId: input.tenantId,
    knowledge: input.knowledge ?? true,
    apiVersion: input.apiVersion ?? DEFAULT_API_VERSION,
    callbackUrl: `${input.loginUrl.replace(/\/+$/, '')}/`,
  };
  const problems: string[] = [];
  if (!API_NAME.test(resolved.appName) || resolved.appName.length > 40)
    problems.push('appName is not a valid API name');
  if (!API_NAME.test(resolved.permissionSetName) || resolved.permissionSetName.length > 80) {
    problems.push('permissionSetName is not a valid API name');
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(resolved.contactEmail))
    problems.push('contactEmail is not an email address');
  if (!/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/.test(resolved.certificatePem)) {
    problems.push('certificatePem is not one PEM certificate');
  }
  // http only for a local emulator: a real org is always https
  if (!/^(https:\/\/[A-Za-z0-9.-]+|http:\/\/(127\.0\.0\.1|localhost))(:\d+)?$/.test(resolved.loginUrl)) {
    problems.push('loginUrl must be an https origin');
  }
  if (!/^[^\s@]+@[^\s@]+$/.test(resolved.username)) problems.push('username must look like user@domain');
  if (!/^\d+\.0$/.test(resolved.apiVersion)) problems.push('apiVersion must look like 66.0');
  if (problems.length > 0) {
    throw appError(TENANT_INVALID, {
      params: { summary: problems.join('; ') },
      details: { issues: problems },
    });
  }
  return resolved;
}
