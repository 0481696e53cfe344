// The path kept in the API audit log: no host, SOQL string literals replaced by '?', and `oauth_token` (jsforce puts
// the token in the identity URL's query string) replaced, so the log holds neither personal data nor secrets.

const STRING_LITERAL = /'(?:[^'\\]|\\.)*'/g;

export function redactSoql(query: string): string {
  return query.replace(STRING_LITERAL, "'?'");
}

export function redactPath(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    return '[unparseable url]';
  }
  const params: string[] = [];
  for (const [key, value] of parsed.searchParams) {
    if (key === 'q') params.push(`q=${redactSoql(value)}`);
    else if (/token|assertion|secret|password/i.test(key)) params.push(`${key}=[REDACTED]`);
    else params.push(`${key}=${encodeURIComponent(value)}`);
  }
  return params.length > 0 ? `${parsed.pathname}?${params.join('&')}` : parsed.pathname;
}
