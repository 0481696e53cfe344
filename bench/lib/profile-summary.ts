// Summarises V8 .cpuprofile files (from --cpu-prof): the functions and the source areas with the most self time.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** groups a script URL into an area: a package under node_modules, a repo source folder, or a Node internal */
function areaOf(url: string): string {
  if (url === '') return '(native/GC/idle)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '')}`;
  }
  const src = url.indexOf('/packages/');
  if (src >= 0)
    return url
      .slice(src + 1)
      .split('/')
      .slice(0, 4)
      .join('/');
  return url.replace(/^file:\/\//, '');
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

/** Every .cpuprofile under `dir` (one folder per server process), paths relative to `dir`. */
function profilesUnder(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...profilesUnder(dir, rel));
    else if (entry.name.endsWith('.cpuprofile')) found.push(rel);
  }
  return found.sort();
}

/** One text block per profile under `dir`: hottest functions (self time) and hottest areas. */
export function summariseProfiles(dir: string, n: number, minSamples = 500): string {
  const out: string[] = [];
  for (const file of profilesUnder(dir)) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const hitsById = new Map<number, number>();
    for (const id of profile.samples ?? []) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
    const byFunction = new Map<string, number>();
    const byArea = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const hits = hitsById.get(node.id) ?? node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      total += hits;
      const where =
        url === ''
          ? ''
          : ` ${url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}`;
      const key = `${functionName || '(anonymous)'}${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
      const area = areaOf(url);
      byArea.set(area, (byArea.get(area) ?? 0) + hits);
    }
    // start-up-only threads (tsx's loader worker) have a handful of samples: not where the time under load went
    if (total < minSamples) continue;
    out.push(`\n## CPU profile ${file} (${total} busy samples; self time, idle excluded)`);
    out.push('hottest areas:', ...top(byArea, total, 12).map((l) => `  ${l}`));
    out.push('hottest functions:', ...top(byFunction, total, n).map((l) => `  ${l}`));
  }
  return out.join('\n');
}
