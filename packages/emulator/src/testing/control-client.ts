// A small client for the control plane, for tests and scripts that drive the emulator from outside: every call
// carries the bearer token, and a non-2xx answer throws with the emulator's message so a broken setup step never
// passes silently.

export interface ControlEndpoint {
  controlUrl: string;
  controlToken: string;
}

export type ControlCall = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export function controlClient(endpoint: ControlEndpoint): ControlCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${endpoint.controlUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${endpoint.controlToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
}
