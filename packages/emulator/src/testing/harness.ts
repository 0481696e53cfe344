// Test support: an in-process emulator with the demo org on a real loopback port, a JWT signer for its connected
// app, and small HTTP helpers for the Salesforce API and the control plane.

import { SignJWT, importPKCS8, type JWTPayload } from 'jose';
import { AdjustableClock } from '../clock.js';
import { Emulator, type EmulatorOptions } from '../registry/emulator.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { DEMO_SETTINGS, seedDemoOrg, type DemoOrgInfo } from '../seed/demo-org.js';
import { generateKeyPair, type KeyPairPem } from '../seed/keys.js';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface Harness {
  em: Emulator;
  clock: AdjustableClock;
  org: OrgRuntime;
  demo: DemoOrgInfo;
  keys: KeyPairPem;
  url: string;
  /** a signed assertion for the demo app; `claims` override iss/sub/aud/exp */
  assertion(claims?: JWTPayload, privateKeyPem?: string): Promise<string>;
  /** POST /services/oauth2/token with form fields */
  tokenRequest(fields: Record<string, string>): Promise<HttpAnswer>;
  /** a fresh access token for `username` (default: the integration user) */
  login(username?: string): Promise<string>;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpAnswer>;
  control(method: string, path: string, body?: unknown, token?: string): Promise<HttpAnswer>;
  close(): Promise<void>;
}

// One key pair per test process: RSA generation is the slow part of a start.
let sharedKeys: Promise<KeyPairPem> | undefined;
export const testKeys = (): Promise<KeyPairPem> => (sharedKeys ??= generateKeyPair('casebridge-test'));

export async function request(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startHarness(
  options: EmulatorOptions & { contacts?: number; cases?: number; dailyApiLimit?: number } = {},
): Promise<Harness> {
  const clock = options.clock ?? new AdjustableClock();
  const em = new Emulator({ ...options, clock, controlToken: options.controlToken ?? 'test-control-token' });
  const keys = await testKeys();
  const org = await em.createOrg({
    name: 'demo',
    settings: DEMO_SETTINGS,
    ...(options.dailyApiLimit !== undefined ? { dailyApiLimit: options.dailyApiLimit } : {}),
  });
  const demo = await seedDemoOrg(org, {
    certificatePem: keys.certificatePem,
    contacts: options.contacts ?? 40,
    cases: options.cases ?? 12,
  });
  org.demo = demo;
  org.markBaseline();
  const url = org.loginUrl;

  const assertion = async (claims: JWTPayload = {}, privateKeyPem = keys.privateKeyPem): Promise<string> => {
    const key = await importPKCS8(privateKeyPem, 'RS256');
    const now = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({
      iss: demo.consumerKey,
      sub: demo.username,
      aud: `${url}/`,
      exp: now + 180,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(key);
  };
  const tokenRequest = (fields: Record<string, string>): Promise<HttpAnswer> =>
    request(`${url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const login = async (username = demo.username): Promise<string> => {
    const res = await tokenRequest({ grant_type: JWT_GRANT, assertion: await assertion({ sub: username }) });
    const body = res.json as { access_token?: string };
    if (res.status !== 200 || body.access_token === undefined) throw new Error(`login failed: ${res.text}`);
    return body.access_token;
  };
  const api: Harness['api'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    return request(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  };
  const control: Harness['control'] = (method, path, body, token = em.controlToken) =>
    request(`${url}/__emulator${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  return {
    em,
    clock,
    org,
    demo,
    keys,
    url,
    assertion,
    tokenRequest,
    login,
    api,
    control,
    close: () => em.close(),
  };
}
