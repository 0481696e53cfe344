// A worker child process driven one command a line (test/helpers/shared-store-worker.fixture.ts): start it, send a
// command, read the answer line that starts with a given word.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./shared-store-worker.fixture.ts', import.meta.url));

export interface WorkerProcess {
  /** the bot API's URL on this worker */
  readonly botUrl: string;
  readonly child: ChildProcess;
  /** sends a command and resolves with the first later answer line starting with `word` (split on spaces) */
  ask(command: string, word: string): Promise<string[]>;
  /** user + system CPU time of the worker since it was ready, in ms */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startWorkerProcess(args: readonly string[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const waiting: { word: string; resolve(parts: string[]): void }[] = [];
  let ready: (url: string) => void = () => undefined;
  const readyLine = new Promise<string>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const parts = line.split(' ');
    if (parts[0] === 'ready') return ready(parts[1] ?? '');
    const at = waiting.findIndex((w) => w.word === parts[0]);
    if (at >= 0) waiting.splice(at, 1)[0]?.resolve(parts.slice(1));
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.on('exit', (code, signal) => reject(new Error(`worker exited ${code ?? signal}: ${err}`))),
  );
  exited.catch(() => undefined);
  const botUrl = await Promise.race([readyLine, exited]);
  const ask = (command: string, word: string): Promise<string[]> => {
    const answer = new Promise<string[]>((resolve) => waiting.push({ word, resolve }));
    child.stdin?.write(`${command}\n`);
    return Promise.race([answer, exited]);
  };
  return {
    botUrl,
    child,
    ask,
    cpuMs: async () => Number((await ask('cpu', 'cpu'))[0]) / 1000,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
