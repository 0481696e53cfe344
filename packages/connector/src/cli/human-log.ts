// Log lines for a person at a terminal: `warning: could not ... (tenantId=acme)` on stderr instead of pino's JSON
// (a failed doctor used to print `{"level":40,...}` between its checklist lines). Used by commands in human mode;
// with --json, and for `serve`, logs stay JSON for machines.

import type { DestinationStream } from 'pino';

import { printable } from './printable.js';

const LABELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'component']);

function describe(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['message'] === 'string') return record['message'];
    return JSON.stringify(value);
  }
  return String(value);
}

/** One pino JSON line as one human line. */
export function humanLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return printable(line.trimEnd());
  }
  const label = LABELS[Number(entry['level'])] ?? 'log';
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${describe(value)}`);
  const text = `${label}: ${describe(entry['msg'] ?? '')}${fields.length ? ` (${fields.join(', ')})` : ''}`;
  return printable(text);
}

export function humanLogDestination(out: NodeJS.WritableStream = process.stderr): DestinationStream {
  return {
    write: (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') out.write(`${humanLogLine(line)}\n`);
    },
  };
}
