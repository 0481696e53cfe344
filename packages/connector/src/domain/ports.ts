// Ports: what the services need from the outside world, as interfaces. Adapters (store/, salesforce/, crypto/)
// implement them; only the composition root (main.ts) chooses which. One file per area (domain/*-ports.ts); this
// module re-exports them all, for the code that imports the ports as one module.

export type * from './api-audit-ports.js';
export type * from './clock-ports.js';
export type * from './gateway-ports.js';
export type * from './job-ports.js';
export type * from './key-ports.js';
export type * from './outbox-ports.js';
export type * from './secret-ports.js';
export type * from './session-ports.js';
export type * from './sync-ports.js';
export type * from './tenant-ports.js';
export type * from './unit-of-work-ports.js';
export type * from './write-intent-ports.js';
