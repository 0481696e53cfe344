// The few Reflect metadata functions tsyringe (a dependency of @peculiar/x509) requires at load time.
// The `reflect-metadata` package is not installed; @peculiar/x509 only needs metadata storage, not the full
// proposal, so this side-effect module provides exactly that. Import it before @peculiar/x509.

type Key = string | symbol;
const store = new WeakMap<object, Map<Key | undefined, Map<unknown, unknown>>>();

function table(target: object, property: Key | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (byProperty === undefined) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty.get(property);
  if (entries === undefined && create) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect['getMetadata'] !== 'function') {
  const getOwnMetadata = (key: unknown, target: object, property?: Key): unknown =>
    table(target, property, false)?.get(key);
  reflect['defineMetadata'] = (key: unknown, value: unknown, target: object, property?: Key): void => {
    table(target, property, true)?.set(key, value);
  };
  reflect['getOwnMetadata'] = getOwnMetadata;
  reflect['getMetadata'] = (key: unknown, target: object, property?: Key): unknown => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const value = getOwnMetadata(key, t, property);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  reflect['hasMetadata'] = (key: unknown, target: object, property?: Key): boolean =>
    (reflect['getMetadata'] as (k: unknown, t: object, p?: Key) => unknown)(key, target, property) !== undefined;
  reflect['metadata'] =
    (key: unknown, value: unknown) =>
    (target: object, property?: Key): void => {
      table(target, property, true)?.set(key, value);
    };
}
