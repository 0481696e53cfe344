// A tenant: one customer's Salesforce org that casebridge serves, and the settings that shape how.

/** How the bot's notions map onto this org's Case statuses (orgs name them differently). */
export interface StatusMapping {
  /** status given to a case the bot files */
  new: string;
  /** the agent needs something from the employee: the bot reaches out */
  waitingOnEmployee: string;
  /** the employee replied: the case goes back to the agents */
  employeeReplied: string;
  /** the bot resolved it autonomously and the employee confirmed */
  resolved: string;
  closed: string;
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
  monitor: { statuses: string[]; origins: string[] };
  statusMapping: StatusMapping;
  /** share of the org's daily API allocation casebridge may spend (0 < share <= 1) */
  apiBudgetShare: number;
  /**
   * The JWT `aud` claim, when the one derived from the login URL is wrong for this org (absent: production and My
   * Domain login URLs use https://login.salesforce.com, sandboxes https://test.salesforce.com, other hosts themselves)
   */
  jwtAudience?: string;
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
    statusMapping: {
      new: 'New',
      waitingOnEmployee: 'Waiting on Employee',
      employeeReplied: 'Working',
      resolved: 'Resolved',
      closed: 'Closed',
    },
    apiBudgetShare: 0.5,
  };
}

/** Names of the secrets a tenant may hold. Each is stored sealed, bound to the tenant and this name. */
export type SecretName =
  'private_key' | 'pending_private_key' | 'consumer_secret' | 'password' | 'access_token';
