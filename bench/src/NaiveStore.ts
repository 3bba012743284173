/**
 * The in-memory baseline: the event store of the original design's proof of concept, a `Map` from stream id to an
 * array of events and a global sequence. It validates nothing, copies nothing (an event is the caller's object spread
 * into an envelope with its stream, version, sequence and time), has no ids and no paging, and reads across streams by
 * concatenating and sorting them. What a store costs beyond it is what validation, copies, ids, envelopes and Effect
 * cost. Three changes from the proof of concept, so that it stays the fast bound it is meant to be: no log line per
 * append; the time is `Date.now()` once per append (it formatted `new Date().toISOString()` for every event, which
 * alone costs more than the rest of its append); and versions count from 1 (its were the stream's length before the
 * append), as Chronicle's do.
 *
 * @since 0.1.0
 */

/**
 * An event as the caller hands it in: its type and its data.
 *
 * @since 0.1.0
 * @category models
 */
export interface NaiveInput {
  readonly type: string
  readonly data: unknown
}

/**
 * An event as the store keeps it.
 *
 * @since 0.1.0
 * @category models
 */
export interface NaiveEvent extends NaiveInput {
  readonly streamId: string
  readonly version: number
  readonly globalSequence: number
  /** Epoch milliseconds. */
  readonly timestamp: number
}

/**
 * The naive store.
 *
 * @since 0.1.0
 * @category models
 */
export interface NaiveStore {
  /** Appends events, checking the stream's version when `expectedVersion` is given; returns the new version. */
  readonly append: (streamId: string, events: ReadonlyArray<NaiveInput>, expectedVersion?: number | null) => number
  /** The stream's events after `fromVersion`. */
  readonly getStream: (streamId: string, fromVersion?: number) => ReadonlyArray<NaiveEvent>
  /** Every event after `fromSequence`, in global order. */
  readonly getAllEvents: (fromSequence?: number) => ReadonlyArray<NaiveEvent>
}

/**
 * A new, empty naive store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): NaiveStore => {
  const events = new Map<string, Array<NaiveEvent>>()
  let globalSequence = 0

  const append = (streamId: string, batch: ReadonlyArray<NaiveInput>, expectedVersion: number | null = null) => {
    if (!events.has(streamId)) events.set(streamId, [])
    const stream = events.get(streamId)!
    const currentVersion = stream.length
    if (expectedVersion !== null && currentVersion !== expectedVersion) {
      throw new Error(`Concurrency conflict: expected version ${expectedVersion}, got ${currentVersion}`)
    }
    const timestamp = Date.now()
    for (const event of batch) {
      globalSequence++
      stream.push({ ...event, streamId, version: stream.length + 1, globalSequence, timestamp })
    }
    return stream.length
  }

  const getAllEvents = (fromSequence = 0) => {
    const all: Array<NaiveEvent> = []
    for (const [, stream] of events) all.push(...stream)
    return all.filter((e) => e.globalSequence > fromSequence).sort((a, b) => a.globalSequence - b.globalSequence)
  }

  return {
    append,
    getStream: (streamId, fromVersion = 0) => (events.get(streamId) ?? []).slice(fromVersion),
    getAllEvents
  }
}
