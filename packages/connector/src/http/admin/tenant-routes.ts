// Admin API routes for tenants, key rotation and doctor. Bodies are validated with zod; the service does the rest.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { AdminOperations } from '../../services/admin-operations.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });
const secretText = z.string().min(1).max(20_000);

const newTenant = z.strictObject({
  id: z.string(),
  name: z.string().optional(),
  loginUrl: z.string(),
  consumerKey: z.string(),
  username: z.string(),
  privateKeyPem: secretText.optional(),
  certificatePem: secretText.optional(),
  consumerSecret: secretText.optional(),
  password: secretText.optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  certificateDays: z.number().int().min(1).max(36500).optional(),
});

const tenantChange = z.strictObject({
  name: z.string().optional(),
  loginUrl: z.string().optional(),
  consumerKey: z.string().optional(),
  username: z.string().optional(),
  consumerSecret: secretText.nullable().optional(),
  password: secretText.nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

export function registerTenantRoutes(app: FastifyInstance, ops: AdminOperations): void {
  app.get('/v1/tenants', async () => ops.listTenants());

  app.get('/v1/tenants/:id', async (request) => ops.showTenant(parseBody(tenantParams, request.params).id));

  app.post('/v1/tenants', async (request, reply) => {
    const body = parseBody(newTenant, request.body);
    const result = await ops.addTenant(dropUndefined(body));
    return reply.status(201).send(result);
  });

  app.patch('/v1/tenants/:id', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    return ops.updateTenant(id, dropUndefined(parseBody(tenantChange, request.body)));
  });

  app.delete('/v1/tenants/:id', async (request) =>
    ops.removeTenant(parseBody(tenantParams, request.params).id),
  );

  app.post('/v1/tenants/:id/key', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    const body = parseBody(
      z.strictObject({ privateKeyPem: secretText, certificatePem: secretText }),
      request.body,
    );
    return ops.importKey(id, body.privateKeyPem, body.certificatePem);
  });

  app.post('/v1/tenants/:id/key-rotation', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    const body = parseBody(
      z.strictObject({ certificateDays: z.number().int().min(1).max(36500).optional() }),
      request.body ?? {},
    );
    return ops.startKeyRotation(id, dropUndefined(body));
  });

  app.post('/v1/tenants/:id/key-rotation/commit', async (request) =>
    ops.commitKeyRotation(parseBody(tenantParams, request.params).id),
  );

  app.delete('/v1/tenants/:id/key-rotation', async (request, reply) => {
    await ops.cancelKeyRotation(parseBody(tenantParams, request.params).id);
    return reply.status(204).send();
  });

  app.post('/v1/tenants/:id/doctor', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    const body = parseBody(z.strictObject({ pendingKey: z.boolean().optional() }), request.body ?? {});
    return ops.doctor(id, dropUndefined(body));
  });

  app.post('/v1/secrets/rotate', async () => ops.rotateMasterKey());

  app.get('/v1/status', async () => ops.status());
}

function dropUndefined<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
