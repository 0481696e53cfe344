// Obtains an access token from the emulator with the JWT bearer grant (jose-signed assertion), as any server-to-server client does.

import { readFileSync } from 'node:fs';
import { SignJWT, importPKCS8 } from 'jose';

export interface EmulatorLogin {
  loginUrl: string;
  consumerKey: string;
  username: string;
  privateKeyPath: string;
}

export async function jwtBearerToken(
  login: EmulatorLogin,
): Promise<{ accessToken: string; instanceUrl: string }> {
  const key = await importPKCS8(readFileSync(login.privateKeyPath, 'utf8'), 'RS256');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(login.consumerKey)
    .setSubject(login.username)
    .setAudience(login.loginUrl)
    .setExpirationTime('3m')
    .sign(key);
  const res = await fetch(`${login.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  const body = (await res.json()) as {
    access_token?: string;
    instance_url?: string;
    error_description?: string;
  };
  if (!res.ok || body.access_token === undefined || body.instance_url === undefined) {
    throw new Error(`token request failed: ${res.status} ${body.error_description ?? ''}`);
  }
  return { accessToken: body.access_token, instanceUrl: body.instance_url };
}
