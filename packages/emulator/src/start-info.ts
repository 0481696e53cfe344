// What a started emulator tells its user, in one place: the `--json` line and the human lines are the same for
// `npm run emulator` (bin.ts) and `npx casebridge emulator`, so a script or a reader gets one answer either way.

import type { StartedEmulator } from './start.js';

export interface StartInfo {
  loginUrl: string;
  instanceUrl: string;
  orgId: string;
  username: string;
  consumerKey: string;
  consumerSecret: string;
  privateKeyPath: string;
  certificatePath: string;
  controlUrl: string;
  controlToken: string;
  /** the agent console (a web page on the org's own listener) */
  consoleUrl: string;
  /** a demo agent who can sign in to the console, and the demo users' password; null for an unseeded org */
  consoleSignIn: { username: string; password: string } | null;
  apiVersion: string;
  /** set when the listener serves HTTPS: the certificate clients must trust (NODE_EXTRA_CA_CERTS) */
  tlsCertificatePath?: string;
}

export function startInfo(started: StartedEmulator): StartInfo {
  const agent = started.demo?.agentUsernames[0];
  return {
    loginUrl: started.loginUrl,
    instanceUrl: started.loginUrl,
    orgId: started.orgId,
    username: started.username,
    consumerKey: started.consumerKey,
    consumerSecret: started.consumerSecret,
    privateKeyPath: started.privateKeyPath,
    certificatePath: started.certificatePath,
    controlUrl: started.controlUrl,
    controlToken: started.controlToken,
    consoleUrl: `${started.loginUrl}/console`,
    consoleSignIn:
      agent !== undefined && started.demo ? { username: agent, password: started.demo.password } : null,
    apiVersion: `${started.emulator.maxApiVersion}.0`,
    ...(started.tlsCertificatePath !== undefined ? { tlsCertificatePath: started.tlsCertificatePath } : {}),
  };
}

/** The lines a person reads once the emulator listens. */
export function startLines(info: StartInfo): string[] {
  const signIn = info.consoleSignIn
    ? `  (sign in as ${info.consoleSignIn.username}, password ${info.consoleSignIn.password})`
    : '';
  return [
    `Salesforce emulator listening (loopback only), org ${info.orgId}`,
    `  login URL      ${info.loginUrl}`,
    `  username       ${info.username}`,
    `  consumer key   ${info.consumerKey}`,
    `  private key    ${info.privateKeyPath}`,
    `  certificate    ${info.certificatePath}`,
    `  control plane  ${info.controlUrl}  (Authorization: Bearer ${info.controlToken})`,
    `  agent console  ${info.consoleUrl}${signIn}`,
    ...(info.tlsCertificatePath === undefined
      ? []
      : [
          `  TLS certificate ${info.tlsCertificatePath}`,
          `  trust it:      export NODE_EXTRA_CA_CERTS=${info.tlsCertificatePath}  (jsforce, sf)`,
        ]),
    '',
    'Log in with the Salesforce CLI:',
    `  sf org login jwt --client-id ${info.consumerKey} --jwt-key-file ${info.privateKeyPath} \\`,
    `    --username ${info.username} --instance-url ${info.loginUrl}`,
    '',
    'Press Ctrl-C to stop.',
  ];
}
