// `casebridge secrets rotate`: re-seal every secret under a new master key, with a progress bar; resumable.

import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';

import { withAdmin, type CliContext } from '../context.js';

export function registerSecretsCommands(program: Command, context: () => CliContext): void {
  const secrets = program.command('secrets').description('Master key operations');
  secrets
    .command('rotate')
    .description('Add a new master key, re-seal every secret under it (resumable), then retire the old key')
    .action(async () => {
      const ctx = context();
      const bar =
        ctx.output.json || !process.stderr.isTTY
          ? null
          : new SingleBar({ stream: process.stderr }, Presets.shades_classic);
      let started = false;
      const result = await withAdmin(ctx, (ops) =>
        ops.rotateMasterKey((progress) => {
          if (!bar) return;
          if (!started) {
            bar.start(progress.total, progress.done);
            started = true;
          } else bar.update(progress.done);
        }),
      );
      bar?.stop();
      ctx.output.result(result, () =>
        ctx.output.line(
          `Re-sealed ${result.done} of ${result.total} secrets under master key ${result.keyId}.`,
        ),
      );
    });
}
