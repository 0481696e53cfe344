// Small validators for control-plane JSON: each failure names the offending field.

import { isPlainObject, tooDeep } from '../http/rest/json-body.js';
import { badInput } from './control-error.js';

export type Json = Record<string, unknown>;

export function parseControlBody(raw: string | undefined): Json {
  if (raw === undefined || raw.trim() === '') return {};
  const deep = tooDeep(raw);
  if (deep !== undefined) throw badInput(`the body is not valid JSON: ${deep}`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw badInput(`the body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(value)) throw badInput('the body must be a JSON object');
  return value;
}

export function optString(body: Json, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badInput(`${key} must be a string`);
  return v;
}

export function reqString(body: Json, key: string): string {
  const v = optString(body, key);
  if (v === undefined || v === '') throw badInput(`${key} is required`);
  return v;
}

export function optNumber(body: Json, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badInput(`${key} must be a number`);
  return v;
}

export function optBoolean(body: Json, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badInput(`${key} must be true or false`);
  return v;
}

export function optStringArray(body: Json, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw badInput(`${key} must be an array of strings`);
  return v as string[];
}

export function optObject(body: Json, key: string): Json | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw badInput(`${key} must be an object`);
  return v;
}

export function reqObject(body: Json, key: string): Json {
  const v = optObject(body, key);
  if (v === undefined) throw badInput(`${key} is required`);
  return v;
}
