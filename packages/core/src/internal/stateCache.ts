/**
 * The command handler's state cache: the latest (state, version) of recently handled streams, so a command reads only
 * the events after the cached version instead of the whole stream. Bounded by a capacity (the entries least recently
 * stored go first: a handler stores the state of every stream it used, so that is the least recently used) and
 * optionally by age. One cache per event store the handler runs against (the store's service
 * object is the key), so the same stream id in two stores never shares an entry.
 *
 * The cache is never the authority: the handler appends at the cached version, and the store's expected-version
 * check catches an entry another process has moved past; that costs a retry, never a wrong decision.
 *
 * @internal
 */

/** A state and the version it was folded up to. */
export interface Entry<S> {
  readonly state: S
  readonly version: number
}

/** Cache settings: how many streams to keep, and for how long an entry may be used (no limit when omitted). */
export interface Settings {
  readonly capacity: number
  readonly timeToLiveMillis?: number | undefined
}

interface Stored<S> {
  readonly entry: Entry<S>
  readonly at: number
}

/** One store's entries, least recently stored first (a `Map` keeps insertion order). */
class Lru<S> {
  private readonly entries = new Map<string, Stored<S>>()
  constructor(private readonly settings: Settings) {}

  /** The entry of a stream; it becomes the most recently used when it is set again (a handler sets what it used). */
  get(streamId: string, now: number): Entry<S> | undefined {
    const found = this.entries.get(streamId)
    if (found === undefined) return undefined
    const ttl = this.settings.timeToLiveMillis
    if (ttl !== undefined && now - found.at > ttl) {
      this.entries.delete(streamId)
      return undefined
    }
    return found.entry
  }

  /**
   * Stores a stream's entry as the most recently used. An entry at the version stored (or an older one) only makes
   * the stored one the most recent: its age still counts from when its version was stored.
   */
  set(streamId: string, entry: Entry<S>, now: number): void {
    const found = this.entries.get(streamId)
    // Concurrent handlers of one stream may finish out of order: never let an older version replace a newer one.
    if (found !== undefined && found.entry.version >= entry.version) {
      this.entries.delete(streamId)
      this.entries.set(streamId, found)
      return
    }
    this.entries.delete(streamId)
    this.entries.set(streamId, { entry: { state: entry.state, version: entry.version }, at: now })
    if (this.entries.size > this.settings.capacity) this.entries.delete(this.entries.keys().next().value!)
  }

  delete(streamId: string): void {
    this.entries.delete(streamId)
  }
}

/** A cache of states for one handler, partitioned by store. */
export interface StateCache<S> {
  readonly get: (store: object, streamId: string, now: number) => Entry<S> | undefined
  readonly set: (store: object, streamId: string, entry: Entry<S>, now: number) => void
  readonly delete: (store: object, streamId: string) => void
}

/** A cache with these settings. */
export const make = <S>(settings: Settings): StateCache<S> => {
  const byStore = new WeakMap<object, Lru<S>>()
  const lru = (store: object) => {
    let found = byStore.get(store)
    if (found === undefined) {
      found = new Lru<S>(settings)
      byStore.set(store, found)
    }
    return found
  }
  return {
    get: (store, streamId, now) => byStore.get(store)?.get(streamId, now),
    set: (store, streamId, entry, now) => lru(store).set(streamId, entry, now),
    delete: (store, streamId) => byStore.get(store)?.delete(streamId)
  }
}
