// Starts a server under test in its own Node process (so the client's CPU is its own) and asks it for its CPU and memory over IPC.

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerProbe } from './harness.js';

export type ServerMessage =
  | { type: 'ready'; info: Record<string, unknown> }
  | { type: 'usage'; id: number; cpuMs: number; rssMb: number }
  | { type: 'failed'; error: string };

export type ParentMessage = { type: 'usage'; id: number } | { type: 'stop' };

const SERVERS_DIR = fileURLToPath(new URL('../servers/', import.meta.url));

export class ChildServer<Info extends Record<string, unknown>> implements ServerProbe {
  private nextId = 1;
  private readonly pending = new Map<number, (m: { cpuMs: number; rssMb: number }) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly info: Info,
  ) {
    child.on('message', (message: ServerMessage) => {
      if (message.type !== 'usage') return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  /** forks `bench/servers/<script>` with tsx; `profileDir` turns on --cpu-prof for it */
  static async start<I extends Record<string, unknown>>(
    script: string,
    args: string[] = [],
    profileDir?: string,
  ): Promise<ChildServer<I>> {
    const execArgv = ['--import', 'tsx'];
    if (profileDir !== undefined) {
      // one directory per server: tsx's loader thread writes a profile of its own beside the main thread's
      const dir = join(profileDir, `${script.replace(/\.ts$/, '')}-${Date.now()}`);
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const child = fork(join(SERVERS_DIR, script), args, {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const info = await new Promise<I>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s`)), 30_000);
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
      child.on('message', (message: ServerMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.info as I);
        } else if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${script}: ${message.error}`));
        }
      });
    });
    child.removeAllListeners('exit');
    return new ChildServer<I>(child, info);
  }

  private usage(): Promise<{ cpuMs: number; rssMb: number }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ type: 'usage', id } satisfies ParentMessage);
    });
  }

  async cpuMs(): Promise<number> {
    return (await this.usage()).cpuMs;
  }

  async rssMb(): Promise<number> {
    return (await this.usage()).rssMb;
  }

  /** asks the server to close and waits for the process to exit (it writes its CPU profile on a clean exit) */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send({ type: 'stop' } satisfies ParentMessage);
    });
  }
}

/** The server side of the protocol: call once the server listens. */
export function serveProbe(info: Record<string, unknown>, close: () => Promise<void>): void {
  const send = (message: ServerMessage): void => {
    process.send?.(message);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      send({
        type: 'usage',
        id: message.id,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssMb: process.memoryUsage().rss / 2 ** 20,
      });
    } else {
      void close().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', info });
}

/** Reports a start-up failure to the parent and exits. */
export function reportFailure(err: unknown): never {
  process.send?.({
    type: 'failed',
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  } satisfies ServerMessage);
  process.exit(1);
}
