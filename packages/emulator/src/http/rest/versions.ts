// `GET /services/data` (the version list: no session needed, not counted) and the version root resource.
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-versions.md

import type { DataPlatform } from '../data-platform.js';
import { json, type ApiResult } from '../api-types.js';
import { identityUrl } from '../../auth/identity.js';
import { dataBase, type RestCall } from './rest-call.js';

const SEASONS = ['Winter', 'Spring', 'Summer'] as const;

/** release name of a major version: 62 → Winter '25, 63 → Spring '25, 64 → Summer '25 (three releases a year) */
export function releaseLabel(major: number): string {
  const k = major - 62;
  const season = SEASONS[((k % 3) + 3) % 3] ?? 'Winter';
  const year = 25 + Math.floor(k / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionList(em: DataPlatform): ApiResult {
  const list = [];
  for (let v = em.minApiVersion; v <= em.maxApiVersion; v++) {
    list.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return json(200, list);
}

export function versionRoot(call: RestCall): ApiResult {
  const base = dataBase(call.version);
  const names = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'prechatForms',
    'contact-tracing',
    'domino',
    'event',
    'chatter',
    'payments',
    'tabs',
    'appMenu',
    'quickActions',
    'queryAll',
    'commerce',
    'wave',
    'iot',
    'analytics',
    'search',
    'smartdatadiscovery',
    'identity',
    'composite',
    'parameterizedSearch',
    'fingerprint',
    'theme',
    'nouns',
    'recent',
    'licensing',
    'limits',
    'process',
    'async-queries',
    'query',
    'match',
    'emailConnect',
    'compactLayouts',
    'knowledgeManagement',
    'sobjects',
    'actions',
    'support',
  ];
  const body: Record<string, string> = {};
  for (const name of names) body[name] = `${base}/${name}`;
  body['identity'] = identityUrl(call.org, call.ctx.userId);
  return json(200, body);
}
