// A separate Node process that does what a server-to-server client does with jsforce 3.10.16: sign a JWT bearer
// assertion, get a token, query and read its identity. Run with NODE_EXTRA_CA_CERTS to prove a client that only
// trusts the emulator's printed certificate works over https. Prints one JSON line; exits 1 with the error.

import { readFileSync } from 'node:fs';
import { SignJWT, importPKCS8 } from 'jose';
import jsforce from 'jsforce';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const loginUrl = env('EMU_LOGIN_URL');
  const clientId = env('EMU_CONSUMER_KEY');
  const key = await importPKCS8(readFileSync(env('EMU_PRIVATE_KEY_PATH'), 'utf8'), 'RS256');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(env('EMU_USERNAME'))
    .setAudience(loginUrl)
    .setIssuedAt()
    .setExpirationTime('3m')
    .sign(key);
  const conn = new jsforce.Connection({ loginUrl, version: '64.0', oauth2: { loginUrl, clientId } });
  await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  const cases = await conn.query<{ Id: string }>('SELECT Id FROM Case LIMIT 5');
  const identity = await conn.identity();
  process.stdout.write(
    `${JSON.stringify({ instanceUrl: conn.instanceUrl, userId: identity.user_id, idUrl: identity.id, cases: cases.totalSize })}\n`,
  );
}

main().catch((err: unknown) => {
  const e = err as { message?: string; code?: string; cause?: { code?: string } };
  process.stdout.write(
    `${JSON.stringify({ error: e.message ?? String(err), code: e.code ?? e.cause?.code ?? null })}\n`,
  );
  process.exit(1);
});
