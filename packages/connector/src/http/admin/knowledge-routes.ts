// Admin API route for knowledge search, so `casebridge knowledge search` answers from the running service's index
// while that service holds the embedded store (the CLI cannot open it then: STORE_LOCKED).

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { KnowledgeSearchResult } from '../../domain/knowledge/search-result.js';
import type { SearchRequest } from '../../services/knowledge/knowledge-search.js';
import { parseBody } from './parse-body.js';

/** what the route needs of the knowledge search service */
export interface KnowledgeSearchPort {
  search(tenantId: string, query: string, request?: SearchRequest): Promise<KnowledgeSearchResult>;
}

const tenantParams = z.strictObject({ id: z.string().min(1) });

// length and limit bounds are the service's own (coded errors with the maximum); the schema checks only types
const searchBody = z.strictObject({
  query: z.string(),
  limit: z.number().optional(),
  language: z.string().min(1).optional(),
});

export function registerKnowledgeRoutes(app: FastifyInstance, knowledge: KnowledgeSearchPort): void {
  app.post('/v1/tenants/:id/knowledge/search', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    const body = parseBody(searchBody, request.body);
    return knowledge.search(id, body.query, {
      ...(body.limit === undefined ? {} : { limit: body.limit }),
      ...(body.language === undefined ? {} : { language: body.language }),
    });
  });
}
