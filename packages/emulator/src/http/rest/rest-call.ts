// What a REST resource handler receives: the request, the org, the caller's context and the path params.

import type { CallContext } from '../../org/contract.js';
import type { DataPlatform } from '../data-platform.js';
import type { OrgRuntime } from '../../registry/org-runtime.js';
import type { ApiRequest, ApiResult } from '../api-types.js';

export interface RestCall {
  em: DataPlatform;
  org: OrgRuntime;
  req: ApiRequest;
  params: string[];
  /** `62.0` */
  version: string;
  ctx: CallContext;
  /** run another request as the same caller, uncounted (composite subrequests); errors come back as results */
  subrequest: (req: ApiRequest) => Promise<ApiResult>;
}

export type RestHandler = (call: RestCall) => ApiResult | Promise<ApiResult>;

/** `/services/data/v62.0` */
export const dataBase = (version: string): string => `/services/data/v${version}`;

export function param(call: RestCall, index: number): string {
  return call.params[index] ?? '';
}

/** A comma-separated query parameter (`?fields=Id, Subject`) as its non-empty items; undefined when absent. */
export function listParam(call: RestCall, name: string): string[] | undefined {
  return call.req.query
    .get(name)
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
