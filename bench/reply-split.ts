// Benchmark: splitting employee replies into comment parts (domain/tickets/reply-parts.ts) for prose, emoji and
// CJK text, beside a naive byte chunker (cuts at code points, knows nothing of words) measured in the same run.

import { splitReply, utf8Bytes } from '../packages/connector/src/domain/tickets/reply-parts.js';
import type { BenchOptions, BenchReport, BenchRow, BenchmarkModule } from './lib/harness.js';
import { runLoad, warmUpAll } from './lib/harness.js';

const SAMPLES = {
  prose: 'The VPN drops every few minutes; see https://intranet.example.com/vpn?x=1 for the log. ',
  emoji: '👩‍👩‍👧‍👦👍🏽🧑🏿‍💻🇩🇪 ',
  cjk: '東京都の会社員は毎朝電車で通勤しています。',
} as const;

function textOf(sample: string, bytes: number): string {
  let text = '';
  while (utf8Bytes(text) < bytes) text += sample;
  return text;
}

/** The baseline: 3,950-byte chunks cut at code points only, the least any splitter must do. */
function naiveChunks(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let used = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > 3950) {
      out.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += size;
  }
  out.push(current);
  return out;
}

export const replySplit: BenchmarkModule = {
  name: 'reply-split',
  description:
    'employee replies split into <= 4,000-byte comment parts (words, URLs, graphemes) vs naive chunking',
  async run(options: BenchOptions): Promise<BenchReport> {
    const common = { concurrency: 1, durationMs: options.durationMs, warmupMs: options.warmupMs };
    const cases = Object.entries(SAMPLES).flatMap(([kind, sample]) =>
      [10_000, 100_000].map((bytes) => ({ kind, bytes, text: textOf(sample, bytes) })),
    );
    const ops = cases.flatMap(({ text }) => [
      () => Promise.resolve(naiveChunks(text).length > 0),
      () => Promise.resolve(splitReply({ text, authorName: 'Ada Lovelace', reference: 'BENCH1' }).length > 0),
    ]);
    await warmUpAll(ops, 1, Math.min(options.warmupMs, 300));
    const rows: BenchRow[] = [];
    for (const { kind, bytes, text } of cases) {
      const label = `${kind} ${bytes / 1000} KB`;
      rows.push(
        await runLoad({
          ...common,
          name: `naive chunks, ${label}`,
          op: () => Promise.resolve(naiveChunks(text).length > 0),
        }),
      );
      rows.push(
        await runLoad({
          ...common,
          name: `splitReply, ${label}`,
          baseline: `naive chunks, ${label}`,
          op: () =>
            Promise.resolve(splitReply({ text, authorName: 'Ada Lovelace', reference: 'BENCH1' }).length > 0),
        }),
      );
    }
    return {
      title: 'Reply splitting (one core, in process)',
      rows,
      notes: [
        'Intl.Segmenter in Node 20 is quadratic in the length of the string it segments, so splitReply segments in windows of 1,024 code units.',
      ],
    };
  },
};
