// One org's HTTP listener (Fastify, logger off): the Salesforce surface (OAuth, identity, REST data API) with
// faults, call logging and `Sforce-Limit-Info`, plus the control plane under /__emulator.
// A single catch-all route hands every request to the emulator's own dispatch, which owns path normalisation
// (`//services/...`), 404/405 and error shapes.

import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SalesforceError } from '../errors.js';
import { handleOAuth } from '../auth/oauth-endpoints.js';
import { handleControl } from '../control/control-api.js';
import { createConsole } from '../console/console-app.js';
import type { Fault } from '../faults/fault-types.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import type { ApiRequest, ApiResult } from './api-types.js';
import { handleDataApi } from './data-api.js';
import { splitUrl } from './paths.js';
import type { OrgServerPlatform } from './server-platform.js';
import { handleCometd } from '../streaming/cometd-endpoint.js';
import { streamingHubOf } from '../streaming/streaming-hub.js';

const JSON_TYPE = 'application/json;charset=UTF-8';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface Outcome {
  result: ApiResult;
  userId: string | null;
  counted: boolean;
  /** a held Streaming API long-poll cut by a fault: the socket closes without an answer */
  dropped?: true;
}

function faultResult(fault: Fault): ApiResult | undefined {
  const error = (status: number, errorCode: string, message: string): ApiResult => ({
    status,
    body: [{ message, errorCode }],
  });
  switch (fault.kind) {
    case 'server-unavailable':
      return error(503, 'SERVER_UNAVAILABLE', 'Server unavailable. Please try again later.');
    case 'request-limit':
      return error(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    case 'invalid-session':
      return error(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    case 'unable-to-lock-row':
      return error(
        400,
        'UNABLE_TO_LOCK_ROW',
        'unable to obtain exclusive access to this record or 1 records',
      );
    case 'latency':
    case 'drop-before':
    case 'drop-after':
      return undefined;
  }
}

function errorCodeOf(result: ApiResult): string | null {
  const body = result.body;
  if (result.status < 400) return null;
  if (Array.isArray(body)) {
    const first: unknown = body[0];
    if (typeof first === 'object' && first !== null && 'errorCode' in first) return String(first.errorCode);
  }
  if (typeof body === 'object' && body !== null && 'error' in body) return String(body.error);
  return typeof body === 'string' ? body : null;
}

async function salesforce(em: OrgServerPlatform, org: OrgRuntime, req: ApiRequest): Promise<Outcome> {
  const streaming = await handleCometd(em, org, req);
  if (streaming !== undefined) return streaming;
  const data = await handleDataApi(em, org, req);
  if (data !== undefined) return data;
  const oauth = await handleOAuth(em, org, req);
  if (oauth !== undefined) return { ...oauth, counted: false };
  const err = new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return { result: { status: 404, body: err.toBody() }, userId: null, counted: false };
}

function send(reply: FastifyReply, result: ApiResult): FastifyReply {
  reply.code(result.status);
  if (result.headers !== undefined) reply.headers(result.headers);
  if (result.body === undefined) return reply.send();
  if (typeof result.body === 'string') {
    if (!reply.hasHeader('content-type')) reply.type('text/plain;charset=UTF-8');
    return reply.send(result.body);
  }
  return reply.type(JSON_TYPE).send(JSON.stringify(result.body));
}

function drop(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  request.raw.socket.destroy();
}

/** PEM key and certificate to serve HTTPS with */
export interface TlsOptions {
  key: string;
  cert: string;
}

export function buildOrgServer(em: OrgServerPlatform, org: OrgRuntime, tls?: TlsOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    // HTTPS through a server factory keeps the instance typed as the HTTP one every route is written against.
    ...(tls !== undefined
      ? {
          serverFactory: (handler: Parameters<typeof createHttpsServer>[1]) =>
            createHttpsServer({ key: tls.key, cert: tls.cert }, handler) as unknown as Server,
        }
      : {}),
    bodyLimit: 50 * 1024 * 1024,
    forceCloseConnections: true,
    // A URL Fastify cannot decode (e.g. a broken %-escape) names no resource: Salesforce's 404, never Fastify's shape.
    frameworkErrors: (_err, _req, reply) => {
      void send(reply, {
        status: 404,
        body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
      });
    },
  });
  // Methods outside METHODS (TRACE, PROPFIND...) never reach the catch-all route: Salesforce's 404, not Fastify's.
  app.setNotFoundHandler((_req, reply) => {
    void send(reply, {
      status: 404,
      body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
    });
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });

  // Fastify's own failures (body too large, aborted upload) are answered in Salesforce's shape. Anything else is a
  // bug in the emulator: Salesforce's UNKNOWN_EXCEPTION, and one line on stderr so that it gets noticed.
  app.setErrorHandler((err: { statusCode?: number; message: string; stack?: string }, request, reply) => {
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'REQUEST_ENTITY_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'INVALID_REQUEST';
      return send(reply, { status, body: [{ message: err.message, errorCode: code }] });
    }
    process.stderr.write(
      `sf-emulator: internal error on ${request.method} ${request.url}: ${err.stack ?? err.message}\n`,
    );
    return send(reply, {
      status: 500,
      body: [{ message: `An unexpected error occurred: ${err.message}`, errorCode: 'UNKNOWN_EXCEPTION' }],
    });
  });

  // The agent console (/console): a web page for the org's users, not part of the Salesforce API.
  const agentConsole = createConsole({
    data: org.data,
    passwords: org.passwords,
    clock: org.clock,
    log: em.callLog,
  });

  app.route({
    method: [...METHODS],
    url: '*',
    handler: async (request, reply) => {
      const started = performance.now();
      const { path, query } = splitUrl(request.raw.url ?? '/');
      const req: ApiRequest = {
        method: request.method,
        path,
        query,
        headers: request.headers,
        rawBody: typeof request.body === 'string' ? request.body : undefined,
      };
      if (agentConsole.handles(path)) {
        return send(reply, await agentConsole.handle(request.socket.remoteAddress, req));
      }
      if (path === '/__emulator' || path.startsWith('/__emulator/')) {
        const answer = await handleControl(em, request.socket.remoteAddress, req);
        const afterSend = answer.afterSend;
        if (afterSend !== undefined) {
          reply.raw.once('finish', () => {
            afterSend().catch((err: unknown) => {
              process.stderr.write(`sf-emulator: after ${req.method} ${path}: ${String(err)}\n`);
            });
          });
        }
        return send(reply, answer);
      }

      const fault = em.faults.take(org.orgId, req.method, path);
      const log = (outcome: Outcome | undefined, status: number, errorCode: string | null): void => {
        em.callLog.add({
          time: em.clock.now().toISOString(),
          orgId: org.orgId,
          userId: outcome?.userId ?? null,
          method: req.method,
          path,
          status,
          errorCode,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          counted: outcome?.counted ?? false,
        });
      };
      const limitHeader = path.startsWith('/services/data/v');

      if (fault !== undefined) {
        if (fault.kind === 'drop-before') {
          log(undefined, 0, 'CONNECTION_DROPPED');
          return drop(request, reply);
        }
        if (fault.kind === 'latency') await sleep(fault.latencyMs ?? 0);
        const injected = faultResult(fault);
        if (injected !== undefined) {
          log(undefined, injected.status, errorCodeOf(injected));
          if (limitHeader) reply.header('Sforce-Limit-Info', org.usage.headerValue());
          return send(reply, injected);
        }
      }

      const outcome = await salesforce(em, org, req);
      if (outcome.dropped === true) {
        log(outcome, 0, 'CONNECTION_DROPPED');
        return drop(request, reply);
      }
      if (fault?.kind === 'drop-after') {
        // The write was applied; the client never hears about it (what makes blind retries dangerous).
        log(outcome, 0, 'CONNECTION_DROPPED');
        return drop(request, reply);
      }
      log(outcome, outcome.result.status, errorCodeOf(outcome.result));
      if (limitHeader) reply.header('Sforce-Limit-Info', org.usage.headerValue());
      return send(reply, outcome.result);
    },
  });
  // The Streaming API's event log starts with the listener, so changes committed before a client connects are
  // retained for replay; closing answers every held long-poll.
  const streamingHub = streamingHubOf(org);
  app.addHook('onClose', (_instance, done) => {
    streamingHub.close();
    done();
  });
  return app;
}
