// Preload (NODE_OPTIONS=--require <abs path>) that refuses every network connection and DNS lookup beyond loopback, logging each attempt.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS by definition */
'use strict';

// Why: after a failed JWT login `sf` retries the grant against https://test.salesforce.com and
// https://login.salesforce.com (real-clients.md §3.1), and telemetry/update hooks call other hosts. Tests run
// the real clients with this preload so nothing leaves the machine, and assert on the log that nothing tried.
// Every socket (net.connect, tls.connect, http/https agents, undici/fetch) ends in net.Socket.prototype.connect,
// so one patch there covers them all; DNS lookups of non-loopback names are refused too.
// Log: one JSON line per refused attempt, {"kind":"connect"|"dns","host","port","pid"}, appended to the file named
// by CASEBRIDGE_BLOCKED_NET_LOG (stderr when unset).

const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');

const LOG_ENV = 'CASEBRIDGE_BLOCKED_NET_LOG';
const ALLOWED = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']);
const PATCHED = Symbol.for('casebridge.block-network');

function normaliseHost(host) {
  if (typeof host !== 'string' || host === '') return 'localhost';
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, '');
}

function allowed(host) {
  return ALLOWED.has(normaliseHost(host));
}

function record(kind, host, port) {
  const line =
    JSON.stringify({ kind, host: normaliseHost(host), port: port ?? null, pid: process.pid }) + '\n';
  const file = process.env[LOG_ENV];
  try {
    if (file) fs.appendFileSync(file, line);
    else process.stderr.write(`[block-network] refused ${line}`);
  } catch {
    // the log is best effort; refusing the connection is what matters
  }
}

function refusal(kind, host, port) {
  const target = port === undefined || port === null ? normaliseHost(host) : `${normaliseHost(host)}:${port}`;
  const err = new Error(`block-network: ${kind} to ${target} refused (tests may only reach loopback)`);
  err.code = kind === 'dns' ? 'ENOTFOUND' : 'ECONNREFUSED';
  err.syscall = kind === 'dns' ? 'getaddrinfo' : 'connect';
  err.hostname = normaliseHost(host);
  if (port !== undefined && port !== null) err.port = port;
  return err;
}

/** The target of Socket#connect from any of its call forms: (options[, cb]), (port[, host][, cb]), (path[, cb]), [normalised args]. */
function targetOf(args) {
  let first = args[0];
  let second = args[1];
  if (Array.isArray(first)) {
    second = first[1];
    first = first[0];
  }
  if (first !== null && typeof first === 'object') {
    if (typeof first.path === 'string' && first.path !== '') return null; // Unix socket / named pipe: local IPC
    return { host: first.host ?? first.hostname, port: first.port };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof second === 'string' ? second : undefined, port: Number(first) };
  }
  if (typeof first === 'string') return null; // a pipe path
  return { host: undefined, port: undefined };
}

if (!net.Socket.prototype[PATCHED]) {
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    const target = targetOf(args);
    if (target === null || allowed(target.host)) return originalConnect.apply(this, args);
    const port = target.port === undefined ? null : Number(target.port);
    record('connect', target.host, port);
    const err = refusal('connect', target.host, port);
    process.nextTick(() => this.destroy(err));
    return this;
  };
  net.Socket.prototype[PATCHED] = true;

  const originalLookup = dns.lookup;
  dns.lookup = function lookup(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    // an IP literal resolves without DNS; the connect patch decides whether it may be reached
    if (allowed(hostname) || net.isIP(normaliseHost(hostname)) !== 0) {
      return originalLookup.apply(this, arguments);
    }
    record('dns', hostname, null);
    const err = refusal('dns', hostname, null);
    if (typeof cb === 'function') process.nextTick(() => cb(err));
    return {};
  };

  const originalPromiseLookup = dns.promises.lookup;
  dns.promises.lookup = function lookup(hostname, options) {
    if (allowed(hostname) || net.isIP(normaliseHost(hostname)) !== 0) {
      return originalPromiseLookup.call(this, hostname, options);
    }
    record('dns', hostname, null);
    return Promise.reject(refusal('dns', hostname, null));
  };

  // Direct resolver queries (dns.resolve*, dns.promises.resolve*) never have a loopback answer worth asking for.
  for (const name of [
    'resolve',
    'resolve4',
    'resolve6',
    'resolveAny',
    'resolveCname',
    'resolveMx',
    'resolveSrv',
    'resolveTxt',
  ]) {
    const original = dns[name];
    if (typeof original === 'function') {
      dns[name] = function resolve(hostname, ...rest) {
        if (allowed(hostname)) return original.call(this, hostname, ...rest);
        record('dns', hostname, null);
        const cb = rest[rest.length - 1];
        if (typeof cb === 'function') process.nextTick(() => cb(refusal('dns', hostname, null)));
        return undefined;
      };
    }
    const originalPromise = dns.promises[name];
    if (typeof originalPromise === 'function') {
      dns.promises[name] = function resolve(hostname, ...rest) {
        if (allowed(hostname)) return originalPromise.call(this, hostname, ...rest);
        record('dns', hostname, null);
        return Promise.reject(refusal('dns', hostname, null));
      };
    }
  }
}
