// Reads a SOQL query page by page: the first GET /query, then each nextRecordsUrl verbatim, every record validated
// against its wire schema. https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm

import type { z } from 'zod';

import type { ClientTenant, SalesforceClient } from './salesforce-client.js';
import type { Soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SfQueryPage } from './wire/sf-query-page.js';

export interface QueryOptions {
  purpose?: string;
  /** Sforce-Query-Options batchSize (200..2000; Salesforce may return fewer) */
  batchSize?: number;
  shape: string;
}

export async function* queryPages<S extends z.ZodType>(
  client: SalesforceClient,
  tenant: ClientTenant,
  query: Soql,
  schema: S,
  options: QueryOptions,
): AsyncGenerator<z.infer<S>[]> {
  const headers: Record<string, string> = options.batchSize
    ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` }
    : {};
  let url: string | null = `/query?q=${encodeURIComponent(query.text)}`;
  while (url !== null) {
    const raw: unknown = await client.request<unknown>(tenant, {
      method: 'GET',
      url,
      headers,
      sobject: options.shape,
      ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
    });
    const page: SfQueryPage = parseWire(SfQueryPage, raw, {
      tenantId: tenant.id,
      shape: `${options.shape} query page`,
    });
    yield page.records.map((record: unknown, i: number) =>
      parseWire(schema, record, { tenantId: tenant.id, shape: `${options.shape} record ${i}` }),
    );
    url = !page.done && page.nextRecordsUrl ? page.nextRecordsUrl : null;
  }
}

/** All rows of a small query (lookups), still page by page underneath. */
export async function queryAll<S extends z.ZodType>(
  client: SalesforceClient,
  tenant: ClientTenant,
  query: Soql,
  schema: S,
  options: QueryOptions,
): Promise<z.infer<S>[]> {
  const out: z.infer<S>[] = [];
  for await (const page of queryPages(client, tenant, query, schema, options)) out.push(...page);
  return out;
}
