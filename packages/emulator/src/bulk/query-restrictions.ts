// The SOQL a Bulk API 2.0 query job refuses, with the columns of the CSV it writes for the rest.
// Refused (queries.htm, "SOQL Considerations"): GROUP BY, OFFSET and TYPEOF; aggregate functions such as COUNT();
// compound address and geolocation fields; parent-to-child (nested) subqueries. Child-to-parent dots are allowed.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm

import type { Query } from '@jetstreamapp/soql-parser-js';
import { SalesforceError } from '../errors.js';
import { parseSoql } from '../soql/parse.js';

/**
 * The message for a nested subquery is the one Salesforce gave a client (OpenFn/adaptors#395); the error code and
 * the other messages follow Bulk API 1.0's "Selecting compound data not supported in Bulk Query" (haoide#137) and
 * are unverified.
 */
const refused = (message: string): SalesforceError => new SalesforceError(400, 'API_ERROR', message);

export interface SelectColumn {
  /** the path as written, e.g. ['Account', 'Name'] */
  path: string[];
}

/**
 * Objects the Bulk API refuses although REST queries them. The guide lists none; these are from clients that met
 * the refusal, `INVALIDENTITY` "Entity 'X' is not supported by the Bulk API." (airbytehq/airbyte#13088 for the
 * message, #15901 and its UNSUPPORTED_BULK_API_SALESFORCE_OBJECTS list for the Knowledge entries). That list
 * names the generic KnowledgeArticleVersion and KnowledgeArticle but not an org's own `Knowledge__kav`, which
 * the emulator therefore serves (unverified either way).
 */
const UNSUPPORTED_OBJECTS = new Set(['knowledgearticleversion', 'knowledgearticle']);

/** the select list of an accepted query, or the refusal */
export function bulkColumns(soql: string): { query: Query; columns: SelectColumn[] } {
  const query = parseSoql(soql);
  const object = query.sObject ?? '';
  if (UNSUPPORTED_OBJECTS.has(object.toLowerCase())) {
    throw new SalesforceError(400, 'INVALIDENTITY', `Entity '${object}' is not supported by the Bulk API.`);
  }
  if (query.groupBy !== undefined) refuse('GROUP BY is not supported by Bulk API 2.0 query jobs');
  if (query.offset !== undefined) refuse('OFFSET is not supported by Bulk API 2.0 query jobs');
  const columns: SelectColumn[] = [];
  for (const field of query.fields ?? []) {
    switch (field.type) {
      case 'Field':
        columns.push({ path: [field.field] });
        break;
      case 'FieldRelationship':
        columns.push({ path: [...field.relationships, field.field] });
        break;
      case 'FieldSubquery':
        refuse('Aggregate Relationships not supported in Bulk V2 Query with CSV content type.');
        break;
      case 'FieldTypeof':
        refuse('TYPEOF is not supported by Bulk API 2.0 query jobs');
        break;
      case 'FieldFunctionExpression':
        if (field.isAggregateFn === true || field.functionName.toLowerCase() === 'count') {
          refuse(
            `Aggregate functions such as ${field.functionName}() are not supported by Bulk API 2.0 query jobs`,
          );
        }
        refuse(`${field.functionName}() is not supported by the emulator's Bulk API 2.0 query jobs`);
        break;
    }
  }
  return { query, columns };
}

function refuse(message: string): never {
  throw refused(message);
}
