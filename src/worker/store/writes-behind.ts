// The store's writes still going on after a load took its files' verified bytes from memory:
// a read of such a file, a look at its model's record, and the page's store calls wait for them,
// so that what they see is what they would have seen had the load waited too.

export class WritesBehind {
  private readonly files = new Map<string, Promise<unknown>>();
  private readonly models = new Map<string, Promise<unknown>>();
  private readonly all = new Set<Promise<unknown>>();

  /** Notes the writes of one file (by its SHA-256) until they are done, however they end. */
  file(sha256: string, writes: Promise<unknown>): void {
    this.hold(this.files, sha256, writes);
  }

  /** Notes the writes of a model (by its key) and of its record until they are done. */
  model(key: string, writes: Promise<unknown>): void {
    this.hold(this.models, key, writes);
  }

  pending(sha256: string): boolean {
    return this.files.has(sha256);
  }

  modelPending(key: string): boolean {
    return this.models.has(key);
  }

  /** Once the file's writes are done (at once when there are none); their failure is the load's to report. */
  async forFile(sha256: string): Promise<void> {
    await this.files.get(sha256);
  }

  async forModel(key: string): Promise<void> {
    await this.models.get(key);
  }

  /** Once every write noted so far, and any noted meanwhile, is done. */
  async settled(): Promise<void> {
    while (this.all.size > 0) await Promise.allSettled([...this.all]);
  }

  private hold(map: Map<string, Promise<unknown>>, name: string, writes: Promise<unknown>): void {
    const done = writes.catch(() => undefined);
    map.set(name, done);
    this.all.add(done);
    void done.then(() => {
      if (map.get(name) === done) map.delete(name);
      this.all.delete(done);
    });
  }
}
