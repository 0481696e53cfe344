// Prints a benchmark report as an aligned text table, with each row's ratios against its baseline row from the same run.

import type { BenchReport, BenchRow, BenchTable } from './harness.js';

const fixed = (value: number | undefined, digits: number): string =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);

function ratio(row: BenchRow, rows: BenchRow[]): { throughput: string; latency: string } {
  const base = row.baseline === undefined ? undefined : rows.find((r) => r.name === row.baseline);
  if (base === undefined) return { throughput: row.baseline === undefined ? 'baseline' : '?', latency: '' };
  return {
    throughput: `${(row.opsPerSec / base.opsPerSec).toFixed(2)}x`,
    latency: `${(row.p50Ms / base.p50Ms).toFixed(1)}x`,
  };
}

/** Renders the report; every row names what it is compared with, so ratios are never read against the wrong base. */
export function renderReport(report: BenchReport): string {
  const header = [
    'case',
    'ops',
    'err',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'client CPU ms/op',
    'server CPU ms/op',
    'client RSS MB',
    'server RSS MB',
    'ops/s vs base',
    'p50 vs base',
    'baseline',
  ];
  const lines = report.rows.map((row) => {
    const r = ratio(row, report.rows);
    return [
      row.name,
      String(row.ops),
      String(row.errors),
      fixed(row.opsPerSec, 0),
      fixed(row.p50Ms, 2),
      fixed(row.p99Ms, 2),
      fixed(row.clientCpuMsPerOp, 3),
      fixed(row.serverCpuMsPerOp, 3),
      fixed(row.clientRssMb, 0),
      fixed(row.serverRssMb, 0),
      r.throughput,
      r.latency,
      row.baseline ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]): string =>
    cells
      .map((cell, i) =>
        i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ');
  const out = [`\n## ${report.title}\n`];
  if (report.rows.length > 0 || report.tables === undefined) {
    out.push(format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format));
  }
  for (const t of report.tables ?? []) out.push(...renderTable(t));
  for (const figure of report.figures ?? []) out.push(`${figure.label}: ${figure.value}`);
  const notes = [
    ...(report.notes ?? []),
    ...report.rows.filter((r) => r.note !== undefined).map((r) => `${r.name}: ${r.note}`),
  ];
  if (notes.length > 0) out.push('', ...notes.map((n) => `- ${n}`));
  return out.join('\n');
}

/** A free-form table: first column left-aligned, the others right-aligned. */
function renderTable(table: BenchTable): string[] {
  const widths = table.columns.map((c, i) =>
    Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const format = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [
    ...(table.title === undefined ? [] : ['', table.title]),
    format(table.columns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map(format),
  ];
}
