/**
 * The in-memory event store: the whole contract of `EventStore`, kept in process memory. For tests, examples and
 * programs whose events need not outlive the process.
 *
 * @since 0.1.0
 */
import { EventStore, type Position, type RecordedEvent, type StreamId } from "@chronicle/core"
import { AppendRule, Notifier, PositionEncoding, StorageEngine } from "@chronicle/core/engine"
import { Effect, Layer } from "effect"
import * as JsonCopy from "./internal/jsonCopy.js"

const emptyMetadata: RecordedEvent.EventMetadata = Object.freeze({})

interface StreamEntry {
  readonly events: Array<RecordedEvent.RecordedEvent>
  /**
   * The stream's events by id, built the first time the stream is offered caller-chosen ids (only those can repeat)
   * and kept up to date from then on; most streams never need it.
   */
  ids: Map<string, RecordedEvent.RecordedEvent> | undefined
}

/**
 * Builds an in-memory storage engine. Appends are synchronous, so each one is atomic; live readers are woken by the
 * append itself, without polling. Data and metadata are stored as the JSON they serialize to (as a database would
 * keep them): fresh copies equal to parsing the JSON text the store front wrote (`internal/jsonCopy.ts`), so what
 * reads return never aliases what the caller appended. Positions count events from 1. Events
 * recorded at the same time (a batch, or appends within one millisecond) share one `Date`, as every reader shares the
 * recorded events: they are read-only.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEngine = (): StorageEngine.StorageEngine => {
  const streams = new Map<string, StreamEntry>()
  const all: Array<RecordedEvent.RecordedEvent> = []
  const notifier = Notifier.make()
  let lastTime = Number.NaN
  let lastDate = new Date(0)
  const dateOf = (time: number) => {
    if (time !== lastTime) {
      lastTime = time
      lastDate = new Date(time)
    }
    return lastDate
  }

  const storedIds = (entry: StreamEntry | undefined, request: StorageEngine.AppendRequest) => {
    if (entry === undefined || !AppendRule.needsStoredIds(request)) return []
    entry.ids ??= new Map(entry.events.map((e) => [e.id, e]))
    const stored: Array<RecordedEvent.RecordedEvent> = []
    for (const event of request.events) {
      const found = entry.ids.get(event.id)
      if (found !== undefined) stored.push(found)
    }
    return stored
  }

  const write = (request: StorageEngine.AppendRequest, entry: StreamEntry | undefined, current: number) => {
    const { events, streamId } = request
    const target: StreamEntry = entry ?? { events: [], ids: undefined }
    if (entry === undefined) streams.set(streamId, target)
    const positions = new Array(events.length)
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!
      const recorded: RecordedEvent.RecordedEvent = {
        id: event.id,
        streamId,
        version: current + i + 1,
        position: PositionEncoding.fromCounter(all.length + 1),
        type: event.type,
        data: JsonCopy.copy(event.data, event.dataJson),
        metadata:
          event.metadataJson === "{}"
            ? emptyMetadata
            : (JsonCopy.copy(event.metadata, event.metadataJson) as RecordedEvent.EventMetadata),
        recordedAt: dateOf(event.recordedAt)
      }
      all.push(recorded)
      target.events.push(recorded)
      target.ids?.set(event.id, recorded)
      positions[i] = recorded.position
    }
    notifier.notify()
    return { version: current + events.length, positions }
  }

  const append = (request: StorageEngine.AppendRequest) =>
    Effect.suspend((): ReturnType<StorageEngine.StorageEngine["append"]> => {
      const entry = streams.get(request.streamId)
      const current = entry?.events.length ?? 0
      const decision = AppendRule.decide(request, { version: current, stored: storedIds(entry, request) })
      switch (decision._tag) {
        case "Write":
          return Effect.succeed(write(request, entry, current))
        case "Done":
          return Effect.succeed(decision.result)
        case "Conflict":
        case "Duplicate":
          return Effect.fail(decision.error)
      }
    })

  const readStream = (streamId: StreamId.StreamId, range: StorageEngine.StreamRange) =>
    Effect.sync((): ReadonlyArray<RecordedEvent.RecordedEvent> => {
      const events = streams.get(streamId)?.events
      if (events === undefined) return []
      if (range.direction === "forward") {
        const start = Math.max(range.from, 1) - 1
        const end = Math.min(range.to, events.length, start + range.limit)
        return start < end ? events.slice(start, end) : []
      }
      const start = Math.min(range.from, events.length)
      const end = Math.max(range.to, 1, start - range.limit + 1)
      const out: Array<RecordedEvent.RecordedEvent> = []
      for (let version = start; version >= end; version--) out.push(events[version - 1]!)
      return out
    })

  const readAll = (after: Position.Position, limit: number) =>
    Effect.sync(() => {
      const from = PositionEncoding.toCounter(after)
      return from >= all.length ? [] : all.slice(from, Math.min(all.length, from + limit))
    })

  return {
    append,
    readStream,
    readAll,
    streamVersion: (streamId) => Effect.sync(() => streams.get(streamId)?.events.length ?? 0),
    headPosition: Effect.sync(() => PositionEncoding.fromCounter(all.length)),
    awaitAppend: (after) => notifier.wait(() => all.length > PositionEncoding.toCounter(after))
  }
}

/**
 * A fresh, empty in-memory `EventStore`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<EventStore.EventStore["Type"]> = Effect.sync(() =>
  StorageEngine.toEventStore(makeEngine())
)

/**
 * A Layer providing a fresh, empty in-memory `EventStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<EventStore.EventStore> = Layer.effect(EventStore.EventStore, make)
