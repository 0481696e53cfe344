// `casebridge knowledge search <tenant> "<query>"`: the tenant's knowledge search as the bot gets it, printed for a
// person to judge (title, article number and version, section, marked snippet, score, link), or --json.
// `casebridge knowledge import <tenant> <file.jsonl>`: articles from a file into the store, to try search on a
// knowledge base before the knowledge sync brings the org's own.
// `casebridge knowledge sync <tenant> [--full]`: the tenant's knowledge sync now, in this process, with a progress
// bar (articles loaded of the Online count) and a summary, or --json.

import { readFileSync } from 'node:fs';

import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';

import type { KnowledgeArticleRecord } from '../../domain/knowledge/article.js';
import type { KnowledgeSearchResult } from '../../domain/knowledge/search-result.js';
import type { KnowledgeSyncReport } from '../../services/knowledge/knowledge-sync.js';
import { appError, isAppError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';
import { TENANT_NOT_FOUND } from '../../errors/codes/tenant.js';
import { openRuntime, type Runtime } from '../../main.js';
import { runningServiceAdmin } from '../admin-access.js';
import type { CliContext } from '../context.js';
import type { RemoteAdmin } from '../remote-admin.js';
import { serviceLogger } from '../service-logger.js';

/** how long a one-shot command waits for a tenant's index to build (100,000 articles take about 25 s) */
const ONE_SHOT_INDEX_WAIT_MS = 10 * 60_000;

async function withRuntime<T>(ctx: CliContext, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(ctx.config, { log: serviceLogger(ctx, { interactive: true }) });
  ctx.output.opened(ctx.store);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Runs on the store when this process can open it, else asks the running service that holds it. */
async function withRuntimeOrService<T>(
  ctx: CliContext,
  local: (runtime: Runtime) => Promise<T>,
  remote: (service: RemoteAdmin) => Promise<T>,
): Promise<T> {
  let runtime: Runtime;
  try {
    // This process opened the store for one command and serves nobody else: a search waits for the index it
    // builds rather than answer `index-warming` after the service's 2 s (a large tenant takes tens of seconds).
    runtime = await openRuntime(ctx.config, {
      log: serviceLogger(ctx, { interactive: true }),
      knowledgeWarmWaitMs: ONE_SHOT_INDEX_WAIT_MS,
    });
  } catch (err) {
    const service = isAppError(err, 'STORE_LOCKED') ? runningServiceAdmin(ctx.config.dataDir) : null;
    if (service === null) throw err;
    return remote(service);
  }
  try {
    return await local(runtime);
  } finally {
    await runtime.close();
  }
}

/** the snippet with matched words in **bold** (Markdown), as a chat message would show it */
function marked(snippet: { text: string; marks: [number, number][] }): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.marks) {
    out += `${snippet.text.slice(at, start)}**${snippet.text.slice(start, end)}**`;
    at = end;
  }
  return out + snippet.text.slice(at);
}

function printResult(ctx: CliContext, result: KnowledgeSearchResult): void {
  const corrected = result.words.filter((w) => !w.found && w.corrections.length > 0);
  if (corrected.length > 0) {
    ctx.output.line(
      `(searched ${corrected.map((w) => `${w.corrections.join('/')} for "${w.word}"`).join(', ')})`,
    );
  }
  if (result.hits.length === 0) {
    ctx.output.line(`No results: ${result.reason?.message ?? 'nothing matched.'}`);
    return;
  }
  result.hits.forEach((hit, i) => {
    ctx.output.line(`${i + 1}. ${hit.title}`);
    ctx.output.line(
      `   article ${hit.articleNumber} v${hit.versionNumber} (${hit.language}), score ${hit.score.toFixed(3)}`,
    );
    if (hit.section !== null) ctx.output.line(`   section: ${hit.section}`);
    if (hit.snippet.text !== '') ctx.output.line(`   ${marked(hit.snippet)}`);
    if (hit.link !== null) ctx.output.line(`   ${hit.link}`);
  });
  ctx.output.line(
    `${result.hits.length} of ${result.articles} articles in ${result.language}, ${result.tookMs.toFixed(1)} ms`,
  );
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** plain-text bodies become one paragraph per line; HTML bodies are kept as they are */
function bodyHtml(body: string): string {
  if (/<\/?[a-z][^>]*>/i.test(body)) return body;
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

function readArticles(tenantId: string, path: string, language: string): KnowledgeArticleRecord[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: KnowledgeArticleRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw appError(CLI_USAGE, { params: { summary: `${path} line ${i + 1} is not JSON` } });
    }
    const text = (name: string): string | undefined =>
      typeof row[name] === 'string' ? row[name] : undefined;
    const id = text('id');
    const title = text('title');
    const body = text('body') ?? text('bodyHtml');
    if (id === undefined || title === undefined || body === undefined) {
      throw appError(CLI_USAGE, { params: { summary: `${path} line ${i + 1} needs id, title and body` } });
    }
    out.push({
      tenantId,
      articleId: id,
      language: text('language') ?? language,
      versionId: null,
      articleNumber: text('articleNumber') ?? id,
      versionNumber: typeof row['versionNumber'] === 'number' ? row['versionNumber'] : 1,
      title,
      urlName: text('urlName') ?? id,
      bodyHtml: bodyHtml(body),
      lastPublishedAt: null,
    });
  });
  return out;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw appError(CLI_USAGE, { params: { summary: `--limit ${value} is not a number` } });
  return n;
};

function printSync(ctx: CliContext, r: KnowledgeSyncReport): void {
  for (const o of r.plan.objects)
    ctx.output.line(
      `${o.name}: body ${o.bodyFields.join(', ') || '(title only)'}, ${o.pageSize} rows a page`,
    );
  if (r.plan.languages.length > 0)
    ctx.output.line(`languages ${r.plan.languages.join(', ')}; channels ${r.plan.channels.join(', ')}`);
  ctx.output.line(
    `${r.full ? 'Full load' : 'Incremental sync'}: ${r.online} online, ${r.read} read, ${r.written} new or changed, ${r.removed} removed${r.idScans > 0 ? ` (id scans ${r.idScans})` : ''}.`,
  );
  for (const w of r.warnings) ctx.output.line(`warning ${w.code}: ${w.message}\n  fix: ${w.fix}`);
}

export function registerKnowledgeCommands(program: Command, context: () => CliContext): void {
  const knowledge = program
    .command('knowledge')
    .description('Load and search the knowledge articles of a tenant');
  knowledge
    .command('search <tenant> <query>')
    .description("Search the tenant's articles as the bot does and print what it would answer with")
    .option('--language <code>', "article language (default: the tenant's Knowledge language)")
    .option('--limit <n>', 'results to show, 1 to 50', positiveInt, 5)
    .action(async (tenantId: string, query: string, options: { language?: string; limit: number }) => {
      const ctx = context();
      const request = {
        limit: options.limit,
        ...(options.language === undefined ? {} : { language: options.language }),
      };
      const result = await withRuntimeOrService(
        ctx,
        (runtime) => runtime.knowledge.search(tenantId, query, request),
        (service) => service.searchKnowledge(tenantId, query, request),
      );
      ctx.output.result(result, () => printResult(ctx, result));
    });
  knowledge
    .command('sync <tenant>')
    .description(
      "Load the tenant's published Knowledge articles now (what changed since the last sync; all with --full)",
    )
    .option('--full', 'read every published article again and check for removed ones')
    .action(async (tenantId: string, options: { full?: boolean }) => {
      const ctx = context();
      const bar =
        ctx.output.json || !process.stderr.isTTY
          ? null
          : new SingleBar(
              { stream: process.stderr, format: ' {bar} {value}/{total} articles | {message}' },
              Presets.shades_classic,
            );
      let started = false;
      const report = await withRuntime(ctx, async (runtime) => {
        try {
          return await runtime.knowledgeSync.run(
            tenantId,
            (p) => {
              if (bar === null) return;
              if (!started) bar.start(p.total, p.done, { message: p.message ?? '' });
              else {
                bar.setTotal(p.total);
                bar.update(p.done, { message: p.message ?? '' });
              }
              started = true;
            },
            options.full === true ? { full: true } : {},
          );
        } finally {
          bar?.stop();
        }
      });
      ctx.output.result(report, () => printSync(ctx, report));
    });
  knowledge
    .command('import <tenant> <file>')
    .description(
      'Write articles from a JSONL file ({id, title, body} per line, body HTML or plain text) into the store',
    )
    .option('--language <code>', "language of articles that do not name one (default: the tenant's)")
    .action(async (tenantId: string, file: string, options: { language?: string }) => {
      const ctx = context();
      const result = await withRuntime(ctx, async (runtime) => {
        const tenant = await runtime.store.tenants.get(tenantId);
        if (tenant === null) throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId } });
        const articles = readArticles(tenantId, file, options.language ?? tenant.settings.knowledge.language);
        let changed = 0;
        for (let i = 0; i < articles.length; i += 500) {
          changed += (await runtime.knowledge.putMany(articles.slice(i, i + 500))).changed;
        }
        return { tenantId, articles: articles.length, changed };
      });
      ctx.output.result(result, () =>
        ctx.output.line(`${result.articles} articles read, ${result.changed} new or changed in the store.`),
      );
    });
}
