// The REST data API front door: version check, session, user checks, daily-limit accounting, then the resource.
// Every failure is Salesforce's array-shaped error with its status; nothing a client sends can cause a 500.

import { SalesforceError, invalidSession, notFound } from '../errors.js';
import { accessTokenOf } from '../auth/bearer.js';
import type { DataPlatform } from './data-platform.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import type { CallContext } from '../org/contract.js';
import { errorResult, header, type ApiRequest, type ApiResult } from './api-types.js';
import { restRouter } from './rest/routes.js';
import { versionList } from './rest/versions.js';

export interface DataApiOutcome {
  result: ApiResult;
  userId: string | null;
  counted: boolean;
}

const DATA_PREFIX = '/services/data';
const VERSIONED = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/;

const limitExceeded = (): SalesforceError =>
  new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

const apiDisabled = (): SalesforceError =>
  new SalesforceError(403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.');

/** a SalesforceError as a result; anything else is a bug in the emulator and propagates */
export function toErrorResult(err: unknown): ApiResult {
  if (err instanceof SalesforceError) return errorResult(err.status, err.toBody());
  throw err;
}

/** the request's `Sforce-Auto-Assign` header, if any */
const autoAssignOf = (req: ApiRequest): string | undefined => header(req, 'sforce-auto-assign');

/** run one resource as an already-authenticated caller (direct calls and composite subrequests) */
async function runResource(
  em: DataPlatform,
  org: OrgRuntime,
  req: ApiRequest,
  ctx: CallContext,
): Promise<ApiResult> {
  const m = VERSIONED.exec(req.path);
  if (m?.[1] === undefined || !em.servesVersion(m[1])) return toErrorResult(notFound());
  const version = m[1];
  try {
    const { handler, params } = restRouter.resolve(req.method, m[2] ?? '/');
    return await handler({
      em,
      org,
      req,
      params,
      version,
      ctx: {
        userId: ctx.userId,
        apiVersion: version,
        ...(autoAssignOf(req) !== undefined ? { autoAssign: autoAssignOf(req) as string } : {}),
      },
      subrequest: (sub) => runResource(em, org, sub, ctx),
    });
  } catch (err) {
    return toErrorResult(err);
  }
}

/** undefined when the path is not under /services/data */
export async function handleDataApi(
  em: DataPlatform,
  org: OrgRuntime,
  req: ApiRequest,
): Promise<DataApiOutcome | undefined> {
  if (req.path !== DATA_PREFIX && !req.path.startsWith(`${DATA_PREFIX}/`)) return undefined;
  if (req.path === DATA_PREFIX) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return {
        result: toErrorResult(
          new SalesforceError(
            405,
            'METHOD_NOT_ALLOWED',
            `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD`,
          ),
        ),
        userId: null,
        counted: false,
      };
    }
    return { result: versionList(em), userId: null, counted: false };
  }
  const m = VERSIONED.exec(req.path);
  if (m?.[1] === undefined || !em.servesVersion(m[1]))
    return { result: toErrorResult(notFound()), userId: null, counted: false };

  const token = accessTokenOf(req);
  const session = token === undefined ? undefined : em.tokens.use(token, org.orgId, em.clock.now().getTime());
  if (session === undefined) return { result: toErrorResult(invalidSession()), userId: null, counted: false };
  // A deactivated user's sessions end with the deactivation.
  const user = org.data.getUser(session.userId);
  if (user === undefined || user['IsActive'] === false) {
    em.tokens.revoke(session.token);
    return { result: toErrorResult(invalidSession()), userId: session.userId, counted: false };
  }
  if (org.usage.exhausted())
    return { result: toErrorResult(limitExceeded()), userId: session.userId, counted: false };
  org.usage.record();
  if (org.data.userPermissions(session.userId).apiEnabled !== true) {
    return { result: toErrorResult(apiDisabled()), userId: session.userId, counted: true };
  }
  const result = await runResource(em, org, req, { userId: session.userId, apiVersion: m[1] });
  return { result, userId: session.userId, counted: true };
}
