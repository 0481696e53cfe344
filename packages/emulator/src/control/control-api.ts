// The control plane: JSON endpoints under /__emulator, apart from the Salesforce API, answered only to loopback
// callers presenting the control bearer token. Bad input is a 400 with a message, never a 500.

import { timingSafeEqual } from 'node:crypto';
import { SalesforceError } from '../errors.js';
import { header, type ApiRequest, type ApiResult } from '../http/api-types.js';
import { Router } from '../http/rest/router.js';
import { runAction } from './agent-actions.js';
import * as apps from './app-admin.js';
import { ok, type ControlHandler } from './control-call.js';
import { ControlError } from './control-error.js';
import type { ControlPlatform } from './control-platform.js';
import { parseControlBody } from './input.js';
import * as orgs from './org-admin.js';
import * as people from './people-admin.js';
import * as platform from './platform-admin.js';
import * as streaming from '../streaming/streaming-admin.js';

const O = '/__emulator/orgs/:org';

const router = new Router<ControlHandler>()
  .add(['GET'], '/__emulator/health', (call) => ok({ ok: true, orgs: call.em.listOrgs().length }))
  .add(['GET'], '/__emulator/orgs', orgs.listOrgs)
  .add(['POST'], '/__emulator/orgs', orgs.createOrg)
  .add(['GET'], O, orgs.getOrg)
  .add(['DELETE'], O, orgs.deleteOrg)
  .add(['POST'], `${O}/reset`, orgs.resetOrg)
  .add(['POST'], `${O}/seed`, orgs.seedOrg)
  .add(['PATCH'], `${O}/settings`, orgs.configureOrg)
  .add(['GET'], `${O}/limits`, orgs.getLimits)
  .add(['POST'], `${O}/limits`, orgs.setLimits)
  .add(['GET'], `${O}/records/:id`, orgs.getRecord)
  .add(['POST'], `${O}/profiles`, people.addProfile)
  .add(['POST'], `${O}/permission-sets`, people.addPermissionSet)
  .add(['GET'], `${O}/grants/:grant`, people.getGrant)
  .add(['PATCH'], `${O}/grants/:grant`, people.updateGrant)
  .add(['POST'], `${O}/users`, people.addUser)
  .add(['GET'], `${O}/users/:user`, people.getUser)
  .add(['PATCH'], `${O}/users/:user`, people.updateUser)
  .add(['POST'], `${O}/users/:user/permission-sets`, people.assignPermissionSet)
  .add(['GET'], `${O}/connected-apps`, apps.listApps)
  .add(['POST'], `${O}/connected-apps`, apps.addApp)
  .add(['GET'], `${O}/connected-apps/:app`, apps.getApp)
  .add(['PATCH'], `${O}/connected-apps/:app`, apps.updateApp)
  .add(['POST'], `${O}/connected-apps/:app/approvals`, apps.approveUser)
  .add(['DELETE'], `${O}/connected-apps/:app/approvals/:user`, apps.revokeApproval)
  .add(['GET'], `${O}/sessions`, apps.listSessions)
  .add(['POST'], `${O}/sessions/expire`, apps.expireSessions)
  .add(['POST'], `${O}/tokens/revoke`, apps.revokeToken)
  .add(['POST'], `${O}/actions/:action`, runAction)
  .add(['POST'], `${O}/knowledge/generate`, orgs.generateKnowledge)
  .add(['POST'], `${O}/custom-fields`, orgs.addCustomField)
  .add(['POST'], `${O}/custom-objects`, orgs.addCustomObject)
  .add(['GET', 'PATCH'], `${O}/streaming`, (call) =>
    call.method === 'PATCH' ? streaming.configureStreaming(call) : streaming.getStreaming(call),
  )
  .add(['POST'], `${O}/streaming/drop-connections`, streaming.dropConnections)
  .add(['POST'], `${O}/streaming/expire-clients`, streaming.expireClients)
  .add(['GET'], '/__emulator/clock', platform.getClock)
  .add(['POST'], '/__emulator/clock', platform.moveClock)
  .add(['GET'], '/__emulator/calls', platform.listCalls)
  .add(['DELETE'], '/__emulator/calls', platform.clearCalls)
  .add(['GET'], '/__emulator/token-log', platform.listTokenLog)
  .add(['DELETE'], '/__emulator/token-log', platform.clearTokenLog)
  .add(['GET'], '/__emulator/faults', platform.listFaults)
  .add(['POST'], '/__emulator/faults', platform.addFault)
  .add(['DELETE'], '/__emulator/faults', platform.clearFaults)
  .add(['DELETE'], '/__emulator/faults/:id', platform.removeFault);

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const fail = (status: number, error: string): ApiResult => ({ status, body: { error } });

function authorized(em: ControlPlatform, req: ApiRequest): boolean {
  const auth = header(req, 'authorization') ?? '';
  const presented = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '');
  const expected = Buffer.from(em.controlToken);
  return expected.length > 0 && presented.length === expected.length && timingSafeEqual(presented, expected);
}

export async function handleControl(
  em: ControlPlatform,
  remoteAddress: string | undefined,
  req: ApiRequest,
): Promise<ApiResult> {
  if (remoteAddress === undefined || !LOOPBACK.has(remoteAddress))
    return fail(403, 'the control plane answers loopback callers only');
  if (!authorized(em, req)) {
    return {
      ...fail(401, 'missing or wrong control-plane token (Authorization: Bearer <token>)'),
      headers: { 'www-authenticate': 'Bearer' },
    };
  }
  try {
    const { handler, params } = router.resolve(req.method, req.path);
    const body = req.method === 'GET' || req.method === 'HEAD' ? {} : parseControlBody(req.rawBody);
    const answer = await handler({ em, method: req.method, params, body, query: req.query });
    const result: ApiResult = { status: answer.status ?? 200, body: answer.body };
    if (answer.afterSend !== undefined) result.afterSend = answer.afterSend;
    return result;
  } catch (err) {
    if (err instanceof ControlError) return fail(err.status, err.message);
    // The router's 404/405 and any engine rejection of an admin action (unknown id, bad picklist value...).
    if (err instanceof SalesforceError) {
      const status = err.status === 404 || err.status === 405 ? err.status : 400;
      return { status, body: { error: err.message, errorCode: err.errorCode } };
    }
    // Whatever else an admin call throws was caused by what it was asked to do: a 400 that says why.
    if (err instanceof Error) return fail(400, err.message);
    throw err;
  }
}
