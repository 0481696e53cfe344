// A small least-recently-used cache of search answers. Support questions repeat ("vpn", "reset password"), and a
// search is synchronous CPU work in the one thread that serves every client: an answer given again costs a map
// look-up instead of a scan, so repeated questions stop queueing behind each other. The owner clears it on every
// change to the index, so a cached answer is never older than the articles.

export class ResultCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // a Map keeps insertion order: moving the key to the end makes the first key the least recently used
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  /** Changes how many answers are kept (0 turns the cache off and empties it). */
  resize(capacity: number): void {
    this.capacity = capacity;
    while (this.entries.size > Math.max(0, capacity)) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}
