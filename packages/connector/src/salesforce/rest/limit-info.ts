// Parses `Sforce-Limit-Info: api-usage=18/5000; api-bursts=1/750` (`;`-separated key=value pairs).
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm

export interface ApiUsage {
  used: number;
  max: number;
}

export function parseLimitInfo(header: string | undefined | null): ApiUsage | null {
  if (!header) return null;
  for (const part of header.split(/[;,]/)) {
    const match = /^\s*api-usage=(\d+)\/(\d+)\s*$/.exec(part);
    if (match?.[1] && match[2]) return { used: Number(match[1]), max: Number(match[2]) };
  }
  return null;
}
