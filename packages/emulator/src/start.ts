// Starting the emulator as the demo and the connector's `casebridge emulator` use it: one loopback listener with
// the seeded demo org, the demo connected app's key pair on disk, and the control plane.

import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AdjustableClock } from './clock.js';
import { Emulator, LOOPBACK_HOSTS, type OrgDataFactory } from './registry/emulator.js';
import type { OrgRuntime } from './registry/org-runtime.js';
import { DEMO_SETTINGS, seedDemoOrg, type DemoOrgInfo, type DemoSeedOptions } from './seed/demo-org.js';
import { ensureKeyPair } from './seed/keys.js';
import { ensureTlsCertificate, readTlsFiles, type TlsFiles } from './registry/tls.js';

export interface StartOptions {
  /** port of the demo org's listener; 0 picks a free one (default 0) */
  port?: number;
  /** loopback address (default 127.0.0.1); anything else is refused */
  host?: string;
  /** where the demo key pair lives, under `keys/` (default ~/.casebridge/emulator) */
  dataDir?: string;
  /** control-plane bearer token (default: random per start) */
  controlToken?: string;
  clock?: AdjustableClock;
  /** daily API allocation of the demo org (default 15,000) */
  dailyApiLimit?: number;
  strictJwtExpiry?: boolean;
  minApiVersion?: number;
  maxApiVersion?: number;
  /** seed the demo story (default true); false starts an empty org with the demo settings */
  seed?: boolean;
  demo?: Omit<DemoSeedOptions, 'certificatePem'>;
  createOrgData?: OrgDataFactory;
  /**
   * serve every org over HTTPS: `true` generates a self-signed certificate for 127.0.0.1, ::1 and localhost into
   * `dataDir/tls/` (reused across starts), or give a PEM key and certificate by path
   */
  https?: boolean | { keyPath: string; certificatePath: string };
}

export interface StartedEmulator {
  emulator: Emulator;
  org: OrgRuntime;
  loginUrl: string;
  orgId: string;
  username: string;
  consumerKey: string;
  consumerSecret: string;
  privateKeyPath: string;
  certificatePath: string;
  controlToken: string;
  /** base URL of the control plane: `${loginUrl}/__emulator` */
  controlUrl: string;
  /**
   * with `https`: the certificate clients must trust (set NODE_EXTRA_CA_CERTS to it for jsforce and `sf`, or give
   * it as an https.Agent's `ca`); undefined over plain HTTP
   */
  tlsCertificatePath: string | undefined;
  demo: DemoOrgInfo | undefined;
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = join(homedir(), '.casebridge', 'emulator');

export async function startEmulator(options: StartOptions = {}): Promise<StartedEmulator> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  if (options.host !== undefined && !LOOPBACK_HOSTS.has(options.host)) {
    throw new Error(`the emulator listens on loopback only, not ${options.host}`);
  }
  const keys = await ensureKeyPair(join(dataDir, 'keys'));
  let tls: TlsFiles | undefined;
  if (options.https === true) tls = await ensureTlsCertificate(join(dataDir, 'tls'));
  else if (typeof options.https === 'object')
    tls = await readTlsFiles(options.https.keyPath, options.https.certificatePath);
  const emulator = new Emulator({
    ...(tls !== undefined ? { tls: { key: tls.keyPem, cert: tls.certificatePem } } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.controlToken !== undefined ? { controlToken: options.controlToken } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.strictJwtExpiry !== undefined ? { strictJwtExpiry: options.strictJwtExpiry } : {}),
    ...(options.minApiVersion !== undefined ? { minApiVersion: options.minApiVersion } : {}),
    ...(options.maxApiVersion !== undefined ? { maxApiVersion: options.maxApiVersion } : {}),
    ...(options.createOrgData !== undefined ? { createOrgData: options.createOrgData } : {}),
  });
  try {
    const org = await emulator.createOrg({
      name: 'demo',
      settings: DEMO_SETTINGS,
      port: options.port ?? 0,
      ...(options.dailyApiLimit !== undefined ? { dailyApiLimit: options.dailyApiLimit } : {}),
    });
    let demo: DemoOrgInfo | undefined;
    if (options.seed !== false) {
      demo = await seedDemoOrg(org, { ...options.demo, certificatePem: keys.certificatePem });
      org.demo = demo;
      org.markBaseline();
    }
    const app = [...org.apps.values()][0];
    return {
      emulator,
      org,
      loginUrl: org.loginUrl,
      orgId: org.orgId,
      username: demo?.username ?? '',
      consumerKey: app?.consumerKey ?? '',
      consumerSecret: app?.consumerSecret ?? '',
      privateKeyPath: keys.privateKeyPath,
      certificatePath: keys.certificatePath,
      controlToken: emulator.controlToken,
      controlUrl: `${org.loginUrl}/__emulator`,
      tlsCertificatePath: tls?.certificatePath,
      demo,
      close: () => emulator.close(),
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}
