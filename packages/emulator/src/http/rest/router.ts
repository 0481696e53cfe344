// A small router for the resources under `/services/data/vXX.X`: patterns of literal segments and `:params`,
// with Salesforce's 404 NOT_FOUND for unknown paths and 405 METHOD_NOT_ALLOWED (listing the allowed methods)
// when the path exists but not for this method.

import { SalesforceError, notFound } from '../../errors.js';
import { decodeSegment } from '../paths.js';

interface Route<H> {
  methods: Set<string>;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(methods: string[], pattern: string, handler: H): this {
    this.routes.push({
      methods: new Set(methods),
      segments: pattern.split('/').filter((s) => s !== ''),
      handler,
    });
    return this;
  }

  /** the handler and decoded params for `method path`; throws NOT_FOUND or METHOD_NOT_ALLOWED */
  resolve(method: string, path: string): { handler: H; params: string[] } {
    const parts = path.split('/').filter((s) => s !== '');
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = match(route.segments, parts);
      if (params === undefined) continue;
      if (route.methods.has(method) || (method === 'HEAD' && route.methods.has('GET'))) {
        return { handler: route.handler, params };
      }
      for (const m of route.methods) if (!allowed.includes(m)) allowed.push(m);
    }
    if (allowed.length > 0) {
      if (allowed.includes('GET') && !allowed.includes('HEAD'))
        allowed.splice(allowed.indexOf('GET') + 1, 0, 'HEAD');
      throw new SalesforceError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
      );
    }
    throw notFound();
  }
}

function match(segments: string[], parts: string[]): string[] | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? '';
    const part = parts[i] ?? '';
    if (seg.startsWith(':')) params.push(decodeSegment(part));
    else if (seg.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return params;
}
