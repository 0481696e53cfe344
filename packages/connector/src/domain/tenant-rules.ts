// Rules for tenant fields and settings: what a valid login URL, consumer key, username and settings look like,
// and how a partial settings change merges into the current settings.

import { z } from 'zod';

import { appError } from '../errors/app-error.js';
import { TENANT_INVALID } from '../errors/codes/tenant.js';
import { normalizeOrigin } from './chat/embed-rules.js';
import { CONTROL_CHARACTERS, findUnsafeInput } from './input-rules.js';
import type { TenantSettings } from './tenant.js';
import { CASE_STATE_MAPPING_SCHEMA } from './tickets/case-states.js';
import { isKnownTimeZone } from './tickets/nudge-rules.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function secureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/**
 * Salesforce login URLs are https; plain http is allowed only on loopback, where the emulator runs.
 * The token request goes to `<login URL>/services/oauth2/token`, so it must be the bare origin.
 */
const loginUrl = z.string().refine(
  (value) => {
    const url = parsedUrl(value);
    if (!url || url.pathname !== '/' || url.search || url.hash || url.username) return false;
    return secureOrLoopback(url);
  },
  {
    message:
      'must be https://login.salesforce.com, https://test.salesforce.com or your My Domain URL (http only on 127.0.0.1)',
  },
);

/** An audience override: an origin, or an Experience Cloud site URL (which may have a path such as /customers). */
const jwtAudience = z.string().refine(
  (value) => {
    const url = parsedUrl(value);
    return url !== null && !url.search && !url.hash && !url.username && secureOrLoopback(url);
  },
  {
    message:
      'must be https://login.salesforce.com, https://test.salesforce.com or your Experience Cloud site URL (null removes it)',
  },
);

/** The longest display name a tenant may have. */
export const NAME_MAX = 120;

const TENANT_FIELDS = z.object({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'lower-case letters, digits and dashes, starting with a letter or digit',
    ),
  loginUrl,
  consumerKey: z
    .string()
    .min(10, 'the Consumer Key from the Connected App (a long string starting 3MVG...)')
    .max(255),
  // Salesforce usernames are at most 80 characters (User.Username, Object Reference).
  username: z
    .string()
    .max(80, 'at most 80 characters, as Salesforce allows')
    .regex(/^[^\s@]+@[^\s@]+$/, 'a Salesforce username, shaped like an email address')
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'no control characters'),
  name: z
    .string()
    .min(1, 'a display name of at least one character')
    .max(NAME_MAX, `at most ${NAME_MAX} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'no control characters (tabs, newlines, escapes)'),
});

/** A Salesforce record id with the key prefix of its object (012 record type, 00G queue), 15 or 18 characters. */
const salesforceId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$`), `a ${prefix}… record id`);

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM such as 20:00');
const timeZone = z
  .string()
  .refine(isKnownTimeZone, 'an IANA time zone such as Europe/Berlin or Asia/Kolkata');

const apiVersion = z.string().regex(/^\d{2}\.0$/, 'like 66.0');
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a field API name such as Answer__c');

const SETTINGS_PATCH = z
  .strictObject({
    apiVersion,
    knowledge: z
      .strictObject({
        enabled: z.boolean(),
        bodyFields: z.array(fieldName).min(1),
        language: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'a Salesforce language code such as en_US'),
        linkTemplate: z.string().min(1),
        objects: z.array(fieldName).min(1),
        languages: z
          .array(z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'a Salesforce language code such as en_US'))
          .min(1),
        channels: z.array(z.enum(['App', 'Pkb', 'Csp', 'Prm'])).min(1),
        syncIntervalMinutes: z.number().int().min(1).max(1440),
      })
      .partial(),
    caseDefaults: z.record(fieldName, z.string()),
    monitor: z
      .strictObject({
        statuses: z.array(z.string().min(1)),
        origins: z.array(z.string().min(1)),
        recordTypes: z.array(salesforceId('012')),
        createdAfter: z.iso.datetime({ offset: true }),
        ownerQueues: z.array(salesforceId('00G')),
        intervalSeconds: z.number().int().min(10).max(86_400),
        lookBackMinutes: z.number().int().min(1).max(43_200),
        notifyOwnerChange: z.boolean(),
        noteAfterNotify: z.boolean(),
        activeIntervalSeconds: z.number().int().min(5).max(86_400),
        liveMinutes: z.number().int().min(1).max(1_440),
        reserveShare: z.number().min(0).lt(1),
        caseStream: z.boolean(),
      })
      .partial(),
    caseStates: z
      .strictObject({
        states: CASE_STATE_MAPPING_SCHEMA.shape.states,
        actions: CASE_STATE_MAPPING_SCHEMA.shape.actions.partial(),
      })
      .partial(),
    apiBudgetShare: z.number().gt(0).max(1),
    /** null removes the override (the audience is derived from the login URL again) */
    jwtAudience: jwtAudience.nullable(),
    replies: z
      .strictObject({
        reopenClosed: z.boolean(),
        moveStatusOnReply: z.enum(['never', 'when-waiting', 'always']),
      })
      .partial(),
    nudges: z
      .strictObject({
        enabled: z.boolean(),
        afterMinutes: z.number().int().min(5).max(43_200),
        gapMinutes: z.number().int().min(5).max(43_200),
        maxReminders: z.number().int().min(0).max(10),
        /** null: no quiet hours */
        quietHours: z.strictObject({ start: localTime, end: localTime }).nullable(),
        timeZone,
      })
      .partial(),
    filing: z
      .strictObject({
        fields: z.record(
          z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'a bot field name such as category'),
          fieldName,
        ),
        /** null: the service user's default record type again */
        recordTypeId: salesforceId('012').nullable(),
        assignment: z.union([z.enum(['active', 'none']), salesforceId('01Q')]),
        /** an External ID field on Case the key is written to; null or '' (`--set filing.externalIdField=`): none */
        externalIdField: z.union([fieldName, z.literal('')]).nullable(),
      })
      .partial(),
    chat: z.strictObject({
      allowedOrigins: z
        .array(
          z
            .string()
            .refine((o) => normalizeOrigin(o) !== null, 'an origin such as https://intranet.example.com')
            .transform((o) => normalizeOrigin(o) ?? o),
        )
        .max(50),
    }),
  })
  .partial();

export type SettingsPatch = z.input<typeof SETTINGS_PATCH>;

function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ''): never {
  const list = issues.map((issue) => ({
    path: prefix + issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw appError(TENANT_INVALID, {
    params: { summary: list.map((i) => `${i.path}: ${i.message}`).join('; ') },
    details: { issues: list },
  });
}

export function validateTenantFields(fields: {
  id: string;
  name: string;
  loginUrl: string;
  consumerKey: string;
  username: string;
}): void {
  const unsafe = findUnsafeInput(fields);
  if (unsafe) invalid([{ path: unsafe.path.split('.'), message: unsafe.message }]);
  const parsed = TENANT_FIELDS.safeParse(fields);
  if (!parsed.success) invalid(parsed.error.issues);
}

/** Merges a partial settings change (validated) into the current settings. */
export function mergeSettings(current: TenantSettings, patch: unknown): TenantSettings {
  const unsafe = findUnsafeInput(patch);
  if (unsafe) invalid([{ path: unsafe.path.split('.'), message: unsafe.message }], 'settings.');
  const parsed = SETTINGS_PATCH.safeParse(patch);
  if (!parsed.success) invalid(parsed.error.issues, 'settings.');
  const p = parsed.data;
  const audience = p.jwtAudience === undefined ? current.jwtAudience : (p.jwtAudience ?? undefined);
  return {
    apiVersion: p.apiVersion ?? current.apiVersion,
    knowledge: { ...current.knowledge, ...stripUndefined(p.knowledge ?? {}) },
    caseDefaults: p.caseDefaults ?? current.caseDefaults,
    monitor: { ...current.monitor, ...stripUndefined(p.monitor ?? {}) },
    caseStates: {
      // a states map given replaces the whole map: a status left out is unmapped on purpose
      states: p.caseStates?.states ?? current.caseStates.states,
      actions: { ...current.caseStates.actions, ...stripUndefined(p.caseStates?.actions ?? {}) },
    },
    apiBudgetShare: p.apiBudgetShare ?? current.apiBudgetShare,
    ...(audience === undefined ? {} : { jwtAudience: audience.replace(/\/+$/, '') }),
    ...(p.replies === undefined && current.replies === undefined
      ? {}
      : { replies: { ...current.replies, ...stripUndefined(p.replies ?? {}) } }),
    ...(p.nudges === undefined && current.nudges === undefined
      ? {}
      : { nudges: { ...current.nudges, ...stripUndefined(p.nudges ?? {}) } }),
    ...(p.filing === undefined && current.filing === undefined
      ? {}
      : { filing: mergeFiling(current, p.filing) }),
    ...(p.chat === undefined
      ? current.chat === undefined
        ? {}
        : { chat: current.chat }
      : { chat: { allowedOrigins: [...new Set(p.chat.allowedOrigins)] } }),
  };
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };
}

function mergeFiling(
  current: TenantSettings,
  patch:
    | {
        fields?: Record<string, string> | undefined;
        recordTypeId?: string | null | undefined;
        assignment?: string | undefined;
        externalIdField?: string | null | undefined;
      }
    | undefined,
): NonNullable<TenantSettings['filing']> {
  const next: NonNullable<TenantSettings['filing']> = { ...current.filing };
  if (patch?.fields !== undefined) next.fields = patch.fields;
  if (patch?.assignment !== undefined) next.assignment = patch.assignment;
  if (patch?.recordTypeId === null) delete next.recordTypeId;
  else if (patch?.recordTypeId !== undefined) next.recordTypeId = patch.recordTypeId;
  if (patch?.externalIdField === null || patch?.externalIdField === '') delete next.externalIdField;
  else if (patch?.externalIdField !== undefined) next.externalIdField = patch.externalIdField;
  return next;
}
