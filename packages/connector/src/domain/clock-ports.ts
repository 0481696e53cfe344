// Time and ids, as ports: injected everywhere, so tests fix them and no code reads the system clock itself.

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** a new unique id (UUID v4 in production) */
  next(): string;
}
