// The HTTP face of the Streaming API: `POST /cometd/<version>` with a JSON array of Bayeux messages and the
// session in `Authorization: OAuth <token>` (jsforce's streaming client sends it so). Not counted against the
// REST API's daily limit: the Streaming API has allocations of its own.

import { accessTokenOf } from '../auth/bearer.js';
import type { ApiRequest, ApiResult } from '../http/api-types.js';
import type { DataPlatform } from '../http/data-platform.js';
import type { OrgData } from '../org/contract.js';
import type { Clock } from '../clock.js';
import type { BayeuxMessage, Caller } from './bayeux-server.js';
import { streamingHubOf } from './streaming-hub.js';

const COMETD = /^\/cometd\/(\d+\.\d+)\/?$/;

export interface CometdOutcome {
  result: ApiResult;
  userId: string | null;
  counted: false;
  /** the fault plan cut this long-poll: close the socket without an answer */
  dropped?: true;
}

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

function callerOf(em: DataPlatform, org: { orgId: string; data: OrgData }, req: ApiRequest): Caller {
  const token = accessTokenOf(req);
  const session = token === undefined ? undefined : em.tokens.use(token, org.orgId, em.clock.now().getTime());
  if (session === undefined) return { invalid: true };
  const user = org.data.getUser(session.userId);
  if (user === undefined || user['IsActive'] !== true) return { invalid: true };
  if (org.data.userPermissions(session.userId).apiEnabled !== true) return { invalid: true };
  return { userId: String(user['Id']) };
}

function parseMessages(raw: string | undefined): BayeuxMessage[] | undefined {
  try {
    const parsed: unknown = JSON.parse(raw ?? '');
    const list: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    return list.every((m) => typeof m === 'object' && m !== null && !Array.isArray(m))
      ? (list as BayeuxMessage[])
      : undefined;
  } catch {
    return undefined;
  }
}

/** undefined when the path is not the CometD endpoint */
export async function handleCometd(
  em: DataPlatform,
  org: { orgId: string; data: OrgData; clock: Clock },
  req: ApiRequest,
): Promise<CometdOutcome | undefined> {
  const m = COMETD.exec(req.path);
  if (m?.[1] === undefined) return undefined;
  if (!em.servesVersion(m[1]) || req.method !== 'POST') {
    return {
      result: {
        status: 404,
        body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
      },
      userId: null,
      counted: false,
    };
  }
  const messages = parseMessages(req.rawBody);
  if (messages === undefined) {
    return {
      result: {
        status: 400,
        headers: JSON_HEADERS,
        body: [{ error: '400::Invalid JSON', successful: false }],
      },
      userId: null,
      counted: false,
    };
  }
  const caller = callerOf(em, org, req);
  const answer = await streamingHubOf(org).server.handle(messages, caller);
  const userId = 'userId' in caller ? caller.userId : null;
  if ('drop' in answer) return { result: { status: 0 }, userId, counted: false, dropped: true };
  return { result: { status: 200, headers: JSON_HEADERS, body: answer.replies }, userId, counted: false };
}
