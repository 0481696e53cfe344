// The test process's fetch keeps its connections alive (undici's global pool). A server the test then closes waits
// for them to go idle and time out (Fastify's keep-alive timeout is 72 s), so a file whose tests took seconds ended
// a minute later. A test file that fetched from servers it closes calls this first in its `after`.

/** Closes the global fetch dispatcher's connections (fetch in this process is done). */
export async function closeFetchConnections(): Promise<void> {
  const dispatcher = (globalThis as Record<symbol, { close?: () => Promise<void> } | undefined>)[
    Symbol.for('undici.globalDispatcher.1')
  ];
  await dispatcher?.close?.();
}
