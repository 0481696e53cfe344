// Db over PGlite (PostgreSQL in WebAssembly), the embedded store: one process, one connection, made durable.

import { fsyncSync } from 'node:fs';

import { PGlite, type Transaction } from '@electric-sql/pglite';

import type { Logger } from '../logging/logger.js';
import type { Db, Listening, NotifyHandlers, Queryable, QueryResult } from './db.js';

/**
 * PGlite starts PostgreSQL with `-F` (fsync off). We drop it so a commit waits for its WAL record to be synced,
 * and use wal_sync_method=fsync because PGlite's libc turns fdatasync into a no-op while fsync reaches the file
 * system layer (measured: with fdatasync no sync call arrives at all).
 */
function durableStartParams(): string[] {
  return [
    ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
    '-c',
    'wal_sync_method=fsync',
    // PostgreSQL's default 128 MB of shared buffers is WebAssembly memory here, taken at start and never given
    // back: with 16 MB the store opens in about 120 MB less and an index rebuild's read of 100,000 articles peaks
    // about 220 MB lower (the data files stay in the operating system's page cache all the same)
    '-c',
    'shared_buffers=16MB',
  ];
}

interface NodeFsStream {
  nfd?: number;
}
interface EmscriptenFsLike {
  lookupPath(path: string): { node: { stream_ops?: Record<string, unknown> } };
}

/**
 * Emscripten's NODEFS (PGlite's Node file system) has no `fsync` stream op, so PostgreSQL's fsync silently does
 * nothing: a commit reaches the OS page cache (it survives a killed process) but not the disk (it would not
 * survive a power cut). Installing one makes fsync=on mean what it says. Returns false when PGlite's internals
 * differ from what this expects, so the caller can warn instead of failing.
 */
function installRealFsync(pglite: PGlite): boolean {
  try {
    const fs = (pglite.Module as unknown as { FS: EmscriptenFsLike }).FS;
    const ops = fs.lookupPath('/pglite/data/PG_VERSION').node.stream_ops;
    if (!ops || typeof ops['write'] !== 'function') return false;
    if (typeof ops['fsync'] === 'function') return true;
    ops['fsync'] = (stream: NodeFsStream): number => {
      if (typeof stream.nfd === 'number') fsyncSync(stream.nfd);
      return 0;
    };
    return true;
  } catch {
    return false;
  }
}

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

let inMemoryTemplate: (() => Blob | undefined) | undefined;

/**
 * Tests: in-memory databases start from a tarball of a freshly initialised one (PGlite's `dumpDataDir`) instead of
 * running initdb each time, which costs about 2.5 s of CPU per database against 0.5 s for loading the tarball. Only
 * the test runner sets it (packages/connector/test/helpers/pglite-template.ts); a data directory is never affected.
 */
export function startInMemoryFrom(template: () => Blob | undefined): void {
  inMemoryTemplate = template;
}

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  private readonly direct: Queryable;

  private constructor(readonly pglite: PGlite) {
    this.direct = wrap(pglite);
  }

  /** Opens a data directory (created when missing), or an in-memory database when `dataDir` is undefined. */
  static async open(dataDir: string | undefined, log: Logger): Promise<PgliteDb> {
    const template = dataDir === undefined ? inMemoryTemplate?.() : undefined;
    const pglite =
      dataDir !== undefined
        ? new PGlite({ dataDir, startParams: durableStartParams() })
        : new PGlite(template === undefined ? {} : { loadDataDir: template });
    await pglite.waitReady;
    if (dataDir !== undefined && !installRealFsync(pglite)) {
      log.warn(
        { dataDir },
        'embedded store: fsync could not be enabled; commits survive a killed process but maybe not a power cut',
      );
    }
    return new PgliteDb(pglite);
  }

  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> {
    return this.direct.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(wrap(tx)));
  }

  /** PGlite's own LISTEN: the one process holding the store hears its own NOTIFYs, with no connection to lose. */
  async listen(channel: string, handlers: NotifyHandlers): Promise<Listening> {
    const unlisten = await this.pglite.listen(channel, (payload) => handlers.signal(payload));
    handlers.live(true);
    return {
      close: async () => {
        if (!this.pglite.closed) await unlisten();
      },
    };
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
