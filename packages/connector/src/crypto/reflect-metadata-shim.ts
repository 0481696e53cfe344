// The smallest Reflect metadata polyfill @peculiar/x509 needs: its dependency tsyringe refuses to load without
// `Reflect.getMetadata`, and no `reflect-metadata` package is installed. It provides only the four functions
// tsyringe calls, and only when nothing else has installed a fuller polyfill. Import it before @peculiar/x509.

type MetadataTarget = object;
const store = new WeakMap<MetadataTarget, Map<unknown, unknown>>();

function own(target: MetadataTarget, create: boolean): Map<unknown, unknown> | undefined {
  let map = store.get(target);
  if (!map && create) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

const shim = {
  defineMetadata(key: unknown, value: unknown, target: MetadataTarget): void {
    own(target, true)?.set(key, value);
  },
  getOwnMetadata(key: unknown, target: MetadataTarget): unknown {
    return own(target, false)?.get(key);
  },
  getMetadata(key: unknown, target: MetadataTarget): unknown {
    // like reflect-metadata, look up the prototype chain
    for (let at: MetadataTarget | null = target; at !== null; at = Object.getPrototypeOf(at) as MetadataTarget | null) {
      const map = own(at, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  },
  metadata(key: unknown, value: unknown) {
    return (target: MetadataTarget): void => shim.defineMetadata(key, value, target);
  },
};

if (typeof (Reflect as unknown as { getMetadata?: unknown }).getMetadata !== 'function') {
  Object.assign(Reflect, shim);
}
