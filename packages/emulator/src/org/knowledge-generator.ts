// A deterministic generator of many published Knowledge articles, for benchmarks and large-org tests: titles,
// summaries and HTML bodies (every rich-text body field of the org) drawn from a seeded PRNG, the four channel
// flags in fixed patterns, optional published translations. It writes rows straight into the store, skipping the
// per-row checks of the API path (UrlName uniqueness scans every article, which would make 100,000 quadratic):
// the generator guarantees those invariants itself (unique UrlNames, one Online version per article and language).

import { formatDatetime } from '../format.js';
import { KEY_PREFIXES } from '../ids.js';
import { articleVersionObjectName } from '../schema/knowledge.js';
import { Prng } from '../util/prng.js';
import { SalesforceError } from '../errors.js';
import type { ArticleGeneratorSpec, GeneratedArticles, SObjectRecord } from './contract.js';
import { blankRecord } from './records.js';
import type { OrgState } from './state.js';

export const MAX_GENERATED_ARTICLES = 200_000;

const SUBJECTS = [
  'VPN',
  'laptop',
  'printer',
  'password',
  'badge',
  'expense report',
  'payroll',
  'holiday request',
  'Wi-Fi',
  'monitor',
  'email signature',
  'calendar',
  'parking permit',
  'phone',
  'docking station',
  'software licence',
  'shared drive',
  'onboarding',
  'travel booking',
  'benefits enrolment',
  'two-factor login',
  'headset',
];
const ACTIONS = [
  'How to reset',
  'Troubleshooting',
  'Requesting a new',
  'Setting up your',
  'Fixing a slow',
  'Replacing a lost',
  'Renewing your',
  'Returning a',
  'Understanding your',
  'Changing the',
];
const WORDS = [
  'open',
  'the',
  'settings',
  'page',
  'and',
  'select',
  'your',
  'account',
  'then',
  'restart',
  'device',
  'if',
  'problem',
  'persists',
  'contact',
  'service',
  'desk',
  'with',
  'ticket',
  'number',
  'check',
  'cable',
  'network',
  'portal',
  'approve',
  'request',
  'manager',
  'within',
  'two',
  'business',
  'days',
  'confirm',
  'email',
  'link',
];
const TRANSLATED: Record<string, string> = {
  de: 'Anleitung',
  fr: 'Guide',
  es: 'Guía',
  ja: 'ガイド',
  it: 'Guida',
  pt_BR: 'Guia',
  nl_NL: 'Handleiding',
};

function sentence(prng: Prng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(prng.pick(WORDS));
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function checkSpec(state: OrgState, spec: ArticleGeneratorSpec): void {
  const bad = (message: string): SalesforceError => new SalesforceError(400, 'INVALID_INPUT', message);
  if (!state.settings.knowledgeEnabled) throw bad('Knowledge is not enabled in this org');
  if (!Number.isInteger(spec.count) || spec.count < 1 || spec.count > MAX_GENERATED_ARTICLES) {
    throw bad(`count must be a whole number from 1 to ${MAX_GENERATED_ARTICLES}`);
  }
  const every = spec.translateEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) throw bad('translateEvery must be a whole number of at least 1');
  const master = state.settings.knowledgeLanguages[0];
  for (const lang of spec.translations ?? []) {
    if (!state.settings.knowledgeLanguages.includes(lang) || lang === master) {
      throw bad(`translations must be Knowledge languages of the org other than ${master}: ${lang} is not`);
    }
  }
}

export function generateArticles(
  state: OrgState,
  spec: ArticleGeneratorSpec,
  actor: string,
): GeneratedArticles {
  checkSpec(state, spec);
  const name = articleVersionObjectName(state.settings);
  const obj = state.schema.get(name);
  if (obj === undefined)
    throw new SalesforceError(400, 'INVALID_TYPE', `sObject type '${name}' is not supported.`);
  const prng = new Prng(spec.seed ?? 1);
  const master = state.settings.knowledgeLanguages[0] ?? 'en_US';
  const translations = spec.translations ?? [];
  const every = spec.translateEvery ?? 1;
  const bodyFields = state.settings.knowledgeBodyFields.map((b) => b.name);
  const blank = blankRecord(obj);
  const end = state.clock.now().getTime();
  const run = state.counters.articleNumber;
  let versions = 0;
  let first = '';
  let last = '';
  for (let i = 0; i < spec.count; i++) {
    // one second apart, ending now: CreatedDate and SystemModstamp order the articles as generated
    const at = formatDatetime(end - (spec.count - i) * 1000);
    const title = `${prng.pick(ACTIONS)} ${prng.pick(SUBJECTS)} (${run + i})`;
    const urlName = `generated-${run + i}`;
    const bodies: SObjectRecord = {};
    for (const field of bodyFields) {
      const paragraphs = prng.int(1, 3);
      let html = '';
      for (let p = 0; p < paragraphs; p++) html += `<p>${sentence(prng, prng.int(8, 30))}</p>`;
      bodies[field] = html;
    }
    const articleNumber = String(state.counters.articleNumber++).padStart(9, '0');
    const knowledgeArticleId = state.ids.next(KEY_PREFIXES.KnowledgeArticle);
    const stamp = {
      CreatedDate: at,
      CreatedById: actor,
      LastModifiedDate: at,
      LastModifiedById: actor,
      SystemModstamp: at,
    };
    const common: SObjectRecord = {
      ...blank,
      ...bodies,
      ...stamp,
      KnowledgeArticleId: knowledgeArticleId,
      ArticleNumber: articleNumber,
      UrlName: urlName,
      Summary: sentence(prng, prng.int(6, 16)),
      PublishStatus: 'Online',
      ValidationStatus: 'Not Validated',
      VersionNumber: 1,
      IsLatestVersion: true,
      ArticleMasterLanguage: master,
      ArticleTotalViewCount: 0,
      ArticleCreatedDate: at,
      ArticleCreatedById: actor,
      FirstPublishedDate: at,
      LastPublishedDate: at,
      OwnerId: actor,
      // channels in fixed patterns: every article internal, half public, a third to customers, a fifth to partners
      IsVisibleInApp: true,
      IsVisibleInPkb: i % 2 === 0,
      IsVisibleInCsp: i % 3 === 0,
      IsVisibleInPrm: i % 5 === 0,
    };
    const masterId = state.ids.next(KEY_PREFIXES.Knowledge__kav);
    state.store.add({
      sobject: name,
      fields: {
        ...common,
        Id: masterId,
        Title: title,
        Language: master,
        IsMasterLanguage: true,
        MasterVersionId: null,
      },
      deleted: false,
      deletedAt: null,
    });
    versions += 1;
    if (i % every === 0) {
      for (const language of translations) {
        state.store.add({
          sobject: name,
          fields: {
            ...common,
            Id: state.ids.next(KEY_PREFIXES.Knowledge__kav),
            Title: `${TRANSLATED[language] ?? language}: ${title}`,
            Language: language,
            IsMasterLanguage: false,
            MasterVersionId: masterId,
          },
          deleted: false,
          deletedAt: null,
        });
        versions += 1;
      }
    }
    if (i === 0) first = articleNumber;
    last = articleNumber;
  }
  return { articles: spec.count, versions, firstArticleNumber: first, lastArticleNumber: last };
}
