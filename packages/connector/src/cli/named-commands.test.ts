// Every `casebridge ...` command that the admin's checklist, an error's message or fix, the README or the docs tell
// a user to run exists, with the options named (setup's text once named a `--package` option that did not exist).

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';

import { Command } from 'commander';

import { ERROR_REGISTRY } from '../errors/registry.js';
import { buildChecklist, renderChecklistMarkdown } from '../setup/checklist.js';
import type { CliContext } from './context.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerKeygenCommand } from './commands/keygen.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSetupCommand } from './commands/setup.js';
import { registerCoreCommands } from './program.js';

function program(): Command {
  const root = new Command('casebridge').option('--json');
  const context = (): CliContext => {
    throw new Error('not run');
  };
  const setExitCode = (): void => undefined;
  registerCoreCommands(root, context, setExitCode);
  registerKeygenCommand(root, context);
  registerSetupCommand(root, context);
  registerEmulatorCommand(root, context);
  registerServeCommand(root, context);
  registerMcpCommand(root, context);
  registerDemoCommand(root, context, setExitCode);
  return root;
}

/** Why `words` (after `casebridge`) do not name a command and its options, or null when they do. */
function problem(root: Command, words: string[]): string | null {
  let command = root;
  for (const word of words) {
    // commander's own help option: every command has it, and it prints help instead of running anything
    if (word === '--help') return null;
    if (word.startsWith('--')) {
      const flag = word.split('=')[0] ?? word;
      const known = [command, root].some((c) => c.options.some((o) => o.long === flag));
      if (!known) return `${command.name()} has no option ${flag}`;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word);
    if (sub) command = sub;
    // a command with subcommands and no arguments of its own wants one of them next
    else if (command.commands.length > 0 && command.registeredArguments.length === 0)
      return `${command.name()} has no subcommand ${word}`;
  }
  return command === root ? 'no command' : null;
}

/** `casebridge a b --c` spans in code quotes (with or without npx), cut at a pipe or a shell operator. */
function namedCommands(text: string): string[][] {
  return [...text.matchAll(/`(?:npx )?casebridge ([^`]+)`/g)].map((m) =>
    (m[1] ?? '')
      .split(/\s*(?:\||&&|;|#)\s*/)[0]!
      .split(/\s+/)
      .filter((w) => w !== '' && w !== '\\'),
  );
}

function assertAllExist(source: string, text: string): void {
  const root = program();
  for (const words of namedCommands(text)) {
    const why = problem(root, words);
    assert.equal(why, null, `${source}: \`casebridge ${words.join(' ')}\`: ${why ?? ''}`);
  }
}

void test('the commands in the checklist (both variants) exist', () => {
  const input = {
    contactEmail: 'it@acme.example',
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n',
    loginUrl: 'https://login.salesforce.com',
    username: 'casebridge@acme.example',
    tenantId: 'acme',
  };
  for (const variant of ['connected-app', 'external-client-app'] as const)
    assertAllExist(`checklist (${variant})`, renderChecklistMarkdown(buildChecklist(input, variant)));
});

void test('the commands named by every error message and fix exist', () => {
  for (const definition of ERROR_REGISTRY.values())
    assertAllExist(definition.code, `${definition.message}\n${definition.fix}`);
});

void test('the commands in the README and docs/ exist', () => {
  const root = new URL('../../../../', import.meta.url);
  const pages = ['README.md', ...readdirSync(new URL('docs/', root)).map((name) => `docs/${name}`)];
  for (const page of pages.filter((p) => p.endsWith('.md')))
    assertAllExist(page, readFileSync(new URL(page, root), 'utf8'));
});

void test('a command or option that does not exist is found', () => {
  const root = program();
  assert.match(problem(root, ['setup', 'acme', '--package']) ?? '', /no option --package/);
  assert.match(problem(root, ['tenants', 'set', 'acme']) ?? '', /no subcommand set/);
  assert.equal(problem(root, ['tenants', 'rotate-key', '{tenant}', '--commit']), null);
});
