// Whether a tenant can use the Case change stream: Case selected for Change Data Capture in Setup (asked of the
// Tooling API, since a subscription to an entity not selected succeeds and simply never delivers), and the service
// user allowed to subscribe (View All on Case, or View All Data), asked of the Streaming API itself: a handshake
// and a subscription to /data/CaseChangeEvent with replay -1 (new events only, so nothing is delivered), then a
// disconnect.
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_subscribe_channels.htm

import type { CaseStreamSwitch } from '../../domain/tickets/case-stream-switch.js';
import { failure, type AccessFinding } from '../access-finding.js';
import type { ClientTenant, SalesforceClient } from '../salesforce-client.js';
import { SfBayeuxReplies, type SfBayeuxReply } from '../wire/sf-bayeux-reply.js';
import { CASE_CHANGE_CHANNEL } from './case-change-stream.js';

export type CaseStreamAvailability =
  { usable: true } | { usable: false; why: 'not-enabled' | 'no-permission' | 'refused'; error: string };

type ProbeMessage = SfBayeuxReply;

const PROBE_TIMEOUT_MS = 15_000;

/**
 * subscribes once to the Case change channel and says whether that worked, and if not why. Plain Bayeux requests
 * (handshake, subscribe, disconnect) without a long-poll connect, so no answer waits for the connect timeout.
 */
export async function probeCaseChangeStream(
  session: { accessToken: string; instanceUrl: string },
  apiVersion: string,
): Promise<CaseStreamAvailability> {
  const url = `${session.instanceUrl.replace(/\/$/, '')}/cometd/${apiVersion}`;
  const send = async (message: Record<string, unknown>): Promise<ProbeMessage> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([message]),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!res.ok) return { successful: false, error: `HTTP ${res.status} from the Streaming API` };
    // A probe reports rather than throws: an answer that is not Bayeux is a refusal naming what was wrong.
    const parsed = SfBayeuxReplies.safeParse(await res.json().catch(() => null));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return {
        successful: false,
        error: `the Streaming API answered something casebridge cannot read: field ${field}: ${issue?.message ?? 'invalid'}`,
      };
    }
    const replies = parsed.data;
    return replies.find((r) => r.channel === message['channel']) ?? { successful: false };
  };
  const handshake = await send({
    channel: '/meta/handshake',
    version: '1.0',
    supportedConnectionTypes: ['long-polling'],
    ext: { replay: true },
  });
  if (handshake.successful !== true || handshake.clientId === undefined)
    return classify(handshake.error ?? 'the handshake was refused');
  const clientId = handshake.clientId;
  try {
    const subscribed = await send({
      channel: '/meta/subscribe',
      clientId,
      subscription: CASE_CHANGE_CHANNEL,
      ext: { replay: { [CASE_CHANGE_CHANNEL]: -1 } },
    });
    return subscribed.successful === true
      ? { usable: true }
      : classify(subscribed.error ?? 'the subscription was refused');
  } finally {
    await send({ channel: '/meta/disconnect', clientId }).catch(() => undefined);
  }
}

/** Salesforce's refusals: a channel for an entity not selected does not exist (400), a missing permission is 403 */
export function classify(error: string): CaseStreamAvailability {
  if (error.startsWith('400::The channel you requested to subscribe to does not exist'))
    return { usable: false, why: 'not-enabled', error };
  if (error.startsWith('403::Insufficient permissions') || error.startsWith('403::Handshake denied'))
    return { usable: false, why: 'no-permission', error };
  return { usable: false, why: 'refused', error };
}

export const CASE_STREAM_CHECK = 'monitor.case-change-stream';
const TITLE = 'Case changes by Change Data Capture';

/** doctor's line: which source ticket monitoring uses, and what the admin does to get the stream */
export function caseStreamFinding(result: CaseStreamAvailability): AccessFinding {
  if (result.usable)
    return {
      id: CASE_STREAM_CHECK,
      title: TITLE,
      status: 'pass',
      detail:
        'Case changes stream from /data/CaseChangeEvent; Cases are also polled slowly as a safety net, CaseComments are polled',
    };
  const fix = {
    'not-enabled':
      'In Setup → Integrations → Change Data Capture, add Case to Selected Entities (casebridge polls Cases until then).',
    'no-permission':
      'Give the casebridge user "View All" on Case (or "View All Data") in its permission set, and the "API Enabled" and "Streaming API" permissions.',
    refused:
      'Check that the Streaming API is enabled for the org (Setup → User Interface → Enable Streaming API) and for the casebridge user.',
  }[result.why];
  return {
    id: CASE_STREAM_CHECK,
    title: TITLE,
    // polling alone is a working configuration: this source is skipped, with what the admin does to get it
    status: 'skip',
    detail: `polling only: ${result.error}`,
    fix,
  };
}

/**
 * Case among the entities selected for the standard ChangeEvents channel (Tooling API, PlatformEventChannelMember);
 * null when the org does not say (the user may lack the Setup permission the Tooling API takes).
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_platformeventchannelmember.htm
 */
export async function caseChangeSelected(
  client: Pick<SalesforceClient, 'request'>,
  tenant: ClientTenant,
): Promise<boolean | null> {
  const q = "SELECT SelectedEntity FROM PlatformEventChannelMember WHERE EventChannel = 'ChangeEvents'";
  try {
    const res = await client.request<{ records?: { SelectedEntity?: string }[] }>(tenant, {
      method: 'GET',
      url: `/tooling/query?q=${encodeURIComponent(q)}`,
      purpose: 'case-stream-check',
    });
    return (res.records ?? []).some((r) => r.SelectedEntity === 'CaseChangeEvent');
  } catch {
    return null;
  }
}

/**
 * Whether the tenant can stream Case changes: selected for Change Data Capture (a subscription to an entity not
 * selected succeeds but never delivers, so the Tooling API is asked first), and the subscription accepted.
 */
export async function caseStreamAvailability(
  client: Pick<SalesforceClient, 'request' | 'session'>,
  tenant: ClientTenant,
): Promise<CaseStreamAvailability> {
  const selected = await caseChangeSelected(client, tenant);
  if (selected === false)
    return {
      usable: false,
      why: 'not-enabled',
      error: 'Case is not selected for Change Data Capture (ChangeEvents channel)',
    };
  return probeCaseChangeStream(await client.session(tenant), tenant.settings.apiVersion);
}

/** the availability as a doctor check */
export async function caseStreamCheck(
  client: Pick<SalesforceClient, 'request' | 'session'>,
  tenant: ClientTenant,
  /** the operator's switches: off, the org is not asked */
  allowed: CaseStreamSwitch = { on: true },
): Promise<AccessFinding> {
  if (!allowed.on)
    return {
      id: CASE_STREAM_CHECK,
      title: TITLE,
      status: 'skip',
      detail: `polling only: Case change streaming is ${allowed.reason}`,
      fix: allowed.fix,
    };
  try {
    return caseStreamFinding(await caseStreamAvailability(client, tenant));
  } catch (err) {
    return failure(CASE_STREAM_CHECK, TITLE, err);
  }
}
