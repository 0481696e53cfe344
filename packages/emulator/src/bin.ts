// `sf-emulator`: start the Salesforce emulator with the seeded demo org on loopback and print how to use it.
// `--json` prints one JSON line once it listens, for scripts. SIGINT/SIGTERM shut it down gracefully.

import { parseArgs } from 'node:util';
import { startEmulator, type StartOptions } from './start.js';
import { startInfo, startLines } from './start-info.js';

const USAGE = `Usage: sf-emulator [options]
  --port N            listener port of the demo org (default 4711; 0 = any free port)
  --host ADDR         loopback address to bind (127.0.0.1 or ::1)
  --data-dir DIR      where the demo key pair is kept (default ~/.casebridge/emulator)
  --control-token T   control-plane bearer token (default: random)
  --daily-limit N     daily API request allocation (default 15000)
  --strict-jwt-exp    reject JWTs whose exp is more than 3 minutes ahead
  --no-seed           start an empty org instead of the demo story
  --https             serve over TLS with a self-signed certificate kept in DATA-DIR/tls (its path is printed:
                      trust it with NODE_EXTRA_CA_CERTS=<path> for jsforce and sf)
  --tls-key FILE      with --tls-cert: serve over TLS with this PEM key and certificate instead
  --tls-cert FILE
  --json              print one JSON line with the connection details once listening
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4711' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'control-token': { type: 'string' },
      'daily-limit': { type: 'string' },
      'strict-jwt-exp': { type: 'boolean', default: false },
      'no-seed': { type: 'boolean', default: false },
      https: { type: 'boolean', default: false },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, not ${values.port}`);
  const options: StartOptions = { port, strictJwtExpiry: values['strict-jwt-exp'], seed: !values['no-seed'] };
  if (values.host !== undefined) options.host = values.host;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  if (values['control-token'] !== undefined) options.controlToken = values['control-token'];
  const tlsKey = values['tls-key'];
  const tlsCert = values['tls-cert'];
  if ((tlsKey === undefined) !== (tlsCert === undefined))
    throw new Error('--tls-key and --tls-cert go together');
  if (tlsKey !== undefined && tlsCert !== undefined)
    options.https = { keyPath: tlsKey, certificatePath: tlsCert };
  else if (values.https) options.https = true;
  if (values['daily-limit'] !== undefined) {
    const limit = Number(values['daily-limit']);
    if (!Number.isInteger(limit) || limit < 0)
      throw new Error('--daily-limit must be a non-negative integer');
    options.dailyApiLimit = limit;
  }

  const started = await startEmulator(options);
  // Handlers go in before anything is printed: a script may signal as soon as it reads the line.
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    if (!values.json) process.stdout.write(`\n${signal}: shutting down\n`);
    started.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`sf-emulator: error while shutting down: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const info = startInfo(started);
  process.stdout.write(values.json ? `${JSON.stringify(info)}\n` : `${startLines(info).join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sf-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
