/**
 * The command handler's state cache: the latest (state, version) of recently handled streams, so a command reads only
 * the events after the cached version instead of the whole stream. Bounded by a capacity (least recently used
 * entries go first) and optionally by age. One cache per event store the handler runs against (the store's service
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

/** One store's entries, least recently used first (a `Map` keeps insertion order). */
class Lru<S> {
  private readonly entries = new Map<string, Stored<S>>()
  constructor(private readonly settings: Settings) {}

  get(streamId: string, now: number): Entry<S> | undefined {
    const found = this.entries.get(streamId)
    if (found === undefined) return undefined
    const ttl = this.settings.timeToLiveMillis
    this.entries.delete(streamId)
    if (ttl !== undefined && now - found.at > ttl) return undefined
    this.entries.set(streamId, found)
    return found.entry
  }

  set(streamId: string, entry: Entry<S>, now: number): void {
    const found = this.entries.get(streamId)
    // Concurrent handlers of one stream may finish out of order: never let an older version replace a newer one.
    if (found !== undefined && found.entry.version > entry.version) return
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
