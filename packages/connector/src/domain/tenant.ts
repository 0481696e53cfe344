// A tenant: one customer's Salesforce org that casebridge serves, and the settings that shape how.

import { defaultCaseStateMapping, type CaseStateMapping } from './tickets/case-states.js';
import type { NudgeSettingsPatch } from './tickets/nudge-rules.js';
import type { FilingSettings } from './bot/filing-rules.js';

/** Ticket monitoring: which cases are watched (domain/tickets/monitor-filter.ts) and how. */
export interface MonitorSettings {
  /** statuses a case must have to start being watched (empty: any) */
  statuses: string[];
  origins: string[];
  /** Case record type ids (empty: any) */
  recordTypes?: string[];
  /** only cases created at or after this instant */
  createdAfter?: string;
  /** queue ids a case must be owned by to start being watched (empty: any owner) */
  ownerQueues?: string[];
  /** how often the monitor polls (seconds, default 60) */
  intervalSeconds?: number;
  /** how far back a new tenant's first poll looks (minutes, default 1440) */
  lookBackMinutes?: number;
  /** tell the employee when their case gets a new owner (default false) */
  notifyOwnerChange?: boolean;
  /** leave an internal note on the case after its employee was told (default false) */
  noteAfterNotify?: boolean;
  /** the interval while a conversation is live or a case waits on its employee (seconds, default and floor 5) */
  activeIntervalSeconds?: number;
  /** a case with an employee reply, or an employee with a bot session used, this recent is a live conversation (minutes, default 10) */
  liveMinutes?: number;
  /** share of casebridge's API budget kept for calls that are not polling, the bot's own first (default 0.25) */
  reserveShare?: number;
  /** stream Case changes by Change Data Capture where the org allows it (default true); false: polling only */
  caseStream?: boolean;
}

export interface TenantSettings {
  apiVersion: string;
  knowledge: {
    enabled: boolean;
    /** rich-text fields on Knowledge__kav that hold the article body, in order of preference */
    bodyFields: string[];
    language: string;
    /**
     * link shown to employees; `{urlName}`, `{articleNumber}`, `{articleId}`, `{language}`, `{id}` (version id, which
     * changes on every republish), `{instanceUrl}` are filled in. Employees without a Salesforce licence need the
     * tenant's public site, e.g. `https://help.example.com/s/article/{urlName}`.
     */
    linkTemplate: string;
    /** article objects to load (absent: every `__kav` object describe shows) */
    objects?: string[];
    /** languages to load, one cursor each (absent: `language` alone) */
    languages?: string[];
    /** channels an article must be visible in, any of (absent: Csp and Pkb) */
    channels?: ('App' | 'Pkb' | 'Csp' | 'Prm')[];
    /** minutes between knowledge syncs (absent: 15); removed articles leave search within one interval */
    syncIntervalMinutes?: number;
  };
  /** extra Case fields to set when the bot files a case, e.g. { Origin: 'Chat' } */
  caseDefaults: Record<string, string>;
  /** which tickets the bot monitors */
  monitor: MonitorSettings;
  /** every Case status of the org to one of the five states, and the status written per action */
  caseStates: CaseStateMapping;
  /** share of the org's daily API allocation casebridge may spend (0 < share <= 1) */
  apiBudgetShare: number;
  /**
   * The JWT `aud` claim, when the one derived from the login URL is wrong for this org (absent: production and My
   * Domain login URLs use https://login.salesforce.com, sandboxes https://test.salesforce.com, other hosts themselves)
   */
  jwtAudience?: string;
  /** what an employee's reply does to its case (absent: the defaults of domain/tickets/reply-rules.ts) */
  replies?: { reopenClosed?: boolean; moveStatusOnReply?: 'never' | 'when-waiting' | 'always' };
  /** reminders to employees whose case waits for them (absent keys: DEFAULT_NUDGE_SETTINGS, i.e. off) */
  nudges?: NudgeSettingsPatch;
  /** how the bot's tickets become Cases: field mapping, record type, assignment rule (domain/bot/filing-rules.ts) */
  filing?: FilingSettings;
  /** the web chat widget: origins (scheme://host[:port]) whose pages may embed it and hand it an identity */
  chat?: { allowedOrigins: string[] };
}

/** Which private key a tenant signs with, described without the key itself. */
export interface KeyInfo {
  /** SHA-256 fingerprint of the certificate, colon-separated hex */
  fingerprint: string;
  certificatePem: string;
  notAfter: string;
  createdAt: string;
  /** set when doctor proved the key against the org (pending keys must be proven before they become active) */
  provenAt: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  /**
   * https://login.salesforce.com, https://test.salesforce.com or a My Domain URL: where the token request goes; the
   * JWT audience is derived from it (see `settings.jwtAudience`)
   */
  loginUrl: string;
  /** learned at login */
  instanceUrl: string | null;
  consumerKey: string;
  username: string;
  settings: TenantSettings;
  activeKey: KeyInfo | null;
  pendingKey: KeyInfo | null;
  /** whether a consumer secret / password were handed over (stored encrypted; JWT needs neither) */
  hasConsumerSecret: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_API_VERSION = '66.0';

export function defaultTenantSettings(): TenantSettings {
  return {
    apiVersion: DEFAULT_API_VERSION,
    knowledge: {
      enabled: true,
      bodyFields: ['Answer__c'],
      language: 'en_US',
      // By UrlName, never the version id: a republished article gets a new version id (the old one is archived) but
      // keeps its UrlName, so links handed out earlier still open the current version. Lightning's Knowledge article
      // page is /lightning/articles/{articleType}/{urlName}, standard__knowledgeArticlePage in
      // https://developer.salesforce.com/docs/atlas.en-us.lightning.meta/lightning/components_navigation_page_definitions.htm
      linkTemplate: '{instanceUrl}/lightning/articles/Knowledge/{urlName}',
    },
    caseDefaults: { Origin: 'Chat' },
    monitor: { statuses: ['New', 'Working', 'Escalated', 'Waiting on Employee'], origins: [] },
    caseStates: defaultCaseStateMapping(),
    apiBudgetShare: 0.5,
  };
}

/** Names of the secrets a tenant may hold. Each is stored sealed, bound to the tenant and this name. */
export type SecretName =
  | 'private_key'
  | 'pending_private_key'
  | 'consumer_secret'
  | 'password'
  | 'access_token'
  /** the webhook's signing secret, and the one it replaced while a rotation runs */
  | 'webhook_secret'
  | 'webhook_previous_secret';
