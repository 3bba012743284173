/**
 * The in-memory event store: the whole contract of `EventStore`, kept in process memory. For tests, examples and
 * programs whose events need not outlive the process.
 *
 * @since 0.1.0
 */
import {
  EventStore,
  EventStoreError,
  ExpectedVersion,
  Idempotency,
  type RecordedEvent,
  type StorageEngine,
  type StreamId
} from "@chronicle/core"
import { Effect, Layer } from "effect"

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
 * keep them), so what reads return never aliases what the caller appended.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEngine = (): StorageEngine.StorageEngine => {
  const streams = new Map<string, StreamEntry>()
  const all: Array<RecordedEvent.RecordedEvent> = []
  const waiters = new Set<() => void>()

  const wake = () => {
    if (waiters.size === 0) return
    const woken = [...waiters]
    waiters.clear()
    for (const resume of woken) resume()
  }

  const append = (request: StorageEngine.AppendRequest) =>
    Effect.suspend((): ReturnType<StorageEngine.StorageEngine["append"]> => {
      const { events, expectedVersion, recordedAt, streamId } = request
      const entry = streams.get(streamId)
      const current = entry?.events.length ?? 0
      if (entry !== undefined && events.length > 0 && Idempotency.hasProvidedIds(events)) {
        const stored: Array<RecordedEvent.RecordedEvent> = []
        for (const event of events) {
          entry.ids ??= new Map(entry.events.map((e) => [e.id, e]))
          const found = entry.ids.get(event.id)
          if (found !== undefined) stored.push(found)
        }
        const outcome = Idempotency.resolve(streamId, events, stored)
        if (outcome._tag === "Left") return Effect.fail(outcome.left)
        if (outcome.right._tag === "Repeat") {
          return Effect.succeed({ version: outcome.right.version, positions: outcome.right.positions })
        }
      }
      if (!ExpectedVersion.matches(expectedVersion, current)) {
        return Effect.fail(
          new EventStoreError.WrongExpectedVersion({
            streamId,
            expected: ExpectedVersion.format(expectedVersion),
            actual: current
          })
        )
      }
      if (events.length === 0) return Effect.succeed({ version: current, positions: [] })
      const target: StreamEntry = entry ?? { events: [], ids: undefined }
      if (entry === undefined) streams.set(streamId, target)
      const positions: Array<number> = new Array(events.length)
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!
        const recorded: RecordedEvent.RecordedEvent = {
          id: event.id,
          streamId,
          version: current + i + 1,
          position: all.length + 1,
          type: event.type,
          data: JSON.parse(event.dataJson),
          metadata: event.metadataJson === "{}" ? emptyMetadata : JSON.parse(event.metadataJson),
          recordedAt: new Date(recordedAt)
        }
        all.push(recorded)
        target.events.push(recorded)
        target.ids?.set(event.id, recorded)
        positions[i] = recorded.position
      }
      wake()
      return Effect.succeed({ version: current + events.length, positions })
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

  const readAll = (after: number, limit: number) =>
    Effect.sync(() => (after >= all.length ? [] : all.slice(after, Math.min(all.length, after + limit))))

  const awaitAppend = (after: number) =>
    Effect.async<void>((resume) => {
      if (all.length > after) return resume(Effect.void)
      const waiter = () => resume(Effect.void)
      waiters.add(waiter)
      return Effect.sync(() => {
        waiters.delete(waiter)
      })
    })

  return {
    append,
    readStream,
    readAll,
    streamVersion: (streamId) => Effect.sync(() => streams.get(streamId)?.events.length ?? 0),
    headPosition: Effect.sync(() => all.length),
    awaitAppend
  }
}

/**
 * A fresh, empty in-memory `EventStore`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<EventStore.EventStore["Type"]> = Effect.sync(() => EventStore.make(makeEngine()))

/**
 * A Layer providing a fresh, empty in-memory `EventStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<EventStore.EventStore> = Layer.effect(EventStore.EventStore, make)
