// Browser-test support shared by every package (emulator console, connector web pages): Debian's chromium driven by
// playwright-core (never a downloaded browser), a folder for screenshots, and an axe-core accessibility check.
// It lives outside the packages so that the connector's tests can use it without importing emulator code.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`; npm test's pretest installs it). */
export const CHROMIUM_PATH = process.env['CASEBRIDGE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, headless run: no sandbox (root in CI), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Why browser tests cannot run here, or undefined when they can. Under `CI=true` a missing chromium is an error
 * (thrown), elsewhere a reason to skip, printed once by the caller.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `chromium not found at ${CHROMIUM_PATH} (install it: apt-get install -y chromium)`;
  if (process.env['CI'] === 'true') throw new Error(`browser tests cannot run under CI: ${reason}`);
  process.stdout.write(`# skipping browser tests: ${reason}\n`);
  return reason;
}

export interface BrowserSession {
  context: BrowserContext;
  /** a new page whose console errors, CSP refusals and uncaught exceptions are collected into `problems` */
  newPage(): Promise<Page>;
  /** what the pages reported: console errors (CSP violations among them) and uncaught exceptions */
  problems: string[];
  close(): Promise<void>;
}

/** Launches chromium with a fresh user-data-dir (removed by `close`). */
export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'casebridge-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  return {
    context,
    problems,
    async newPage() {
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The folder a suite's screenshots go to: `$CASEBRIDGE_SCREENSHOT_DIR/<suite>`, by default
 * `test-results/screenshots/<suite>` in the repository (gitignored). Created empty; its path is printed.
 */
export function screenshotFolder(suite: string): string {
  const base = process.env['CASEBRIDGE_SCREENSHOT_DIR'] ?? join(repoRoot, 'test-results', 'screenshots');
  const dir = join(base, suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`# screenshots of ${suite}: ${dir}\n`);
  return dir;
}

/** Saves a full-page screenshot as `<dir>/<name>.png` and returns its path. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.x A/AA rules and best practices) in the page and returns every violation. The source is
 * evaluated through the DevTools protocol, which a page's Content-Security-Policy does not govern, so a strict CSP
 * page is checked as it is served.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // A message fading in is, mid-animation, text at partial opacity: axe would measure its contrast against a blend
  // and report a colour the employee never settles on. Check the page as it comes to rest.
  // (an endless one, a spinner, is left running: it never comes to rest)
  await page.evaluate(async () => {
    // this tool's tsconfig has no DOM library: the page's own types, as far as they are used
    interface PageAnimation {
      effect: { getComputedTiming(): { endTime?: number } } | null;
      finished: Promise<unknown>;
    }
    const doc = (globalThis as unknown as { document: { getAnimations(): PageAnimation[] } }).document;
    const ending = doc.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(ending.map((a) => a.finished));
  });
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
}

/** The serious and critical violations, as readable lines (empty when the page passes). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} at ${v.nodes.join(', ')}`);
}

export interface BrowserSuite extends BrowserSession {
  /** the suite's screenshot folder (see screenshotFolder) */
  shots: string;
  /** saves `<shots>/<name>.png` */
  screenshot(page: Page, name: string): Promise<string>;
  /** saves `<shots>/<name>.png` and asserts axe-core finds no serious or critical violation on the page */
  expectAccessible(page: Page, name: string): Promise<void>;
}

/** What every browser suite's `before` does: its screenshot folder (printed), and chromium launched. */
export async function openBrowserSuite(suite: string): Promise<BrowserSuite> {
  const shots = screenshotFolder(suite);
  const session = await launchBrowser();
  return {
    ...session,
    shots,
    screenshot: (page, name) => screenshot(page, shots, name),
    async expectAccessible(page, name) {
      await screenshot(page, shots, name);
      assert.deepEqual(await seriousAxeViolations(page), [], `axe on ${name}`);
    },
  };
}
