// Path normalisation: `sf` stores an instance URL with a trailing slash after an access-token login, so requests
// arrive as `//services/data/...` (real-clients.md 3.6). Never feed such a path to `new URL(path, base)`: Node
// would read `//services` as a host name.

/** Split a raw request URL into a normalised path (duplicate and trailing slashes removed) and its query. */
export function splitUrl(rawUrl: string): { path: string; query: URLSearchParams } {
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
  let path = rawPath.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  // URLSearchParams decodes both `+` and `%20` as a space, as Salesforce does for `q=`.
  return { path: path === '' ? '/' : path, query: new URLSearchParams(rawQuery) };
}

/** Decode one path segment; a malformed escape stays as it came rather than throwing. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
