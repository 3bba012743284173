/**
 * The in-memory event store: the whole contract of `EventStore`, kept in process memory. For tests, examples and
 * programs whose events need not outlive the process.
 *
 * @since 0.1.0
 */
import {
  EventStore,
  ExpectedVersion,
  type Position,
  Query,
  type RecordedEvent,
  StoreAdmin,
  type StreamId
} from "@chronicle/core"
import {
  AdminEngine,
  AppendRule,
  ConditionRule,
  Notifier,
  PositionEncoding,
  StorageEngine
} from "@chronicle/core/engine"
import { Context, Effect, Layer } from "effect"
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
 * reads return never aliases what the caller appended. Positions count events from 1. Events recorded at the same
 * time (a batch, or appends within one millisecond) share one `Date`, as every reader shares the recorded events: they
 * are read-only. Its admin part answers from the same maps; an import writes its runs one after the other and, if one
 * conflicts, takes back what the earlier ones wrote before anyone sees it (nothing yields in between).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEngine = (): StorageEngine.StorageEngine & AdminEngine.AdminEngine => {
  const streams = new Map<string, StreamEntry>()
  const all: Array<RecordedEvent.RecordedEvent> = []
  const notifier = Notifier.make()
  let lastTime = Number.NaN
  let lastDate = new Date(0)
  const dateOf = (time: number) => {
    // Stryker disable next-line ConditionalExpression: a new Date each time would be equal, only not shared.
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

  const write = (
    request: Pick<StorageEngine.AppendRequest, "streamId" | "events">,
    entry: StreamEntry | undefined,
    current: number,
    notify = true
  ) => {
    const { events, streamId } = request
    const target: StreamEntry = entry ?? streams.get(streamId) ?? { events: [], ids: undefined }
    // Stryker disable next-line ConditionalExpression: setting a stream's own entry again changes nothing.
    if (!streams.has(streamId)) streams.set(streamId, target)
    // Stryker disable next-line ArrayDeclaration: sized up front for speed; every index is written before it is read.
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
          // Stryker disable next-line ConditionalExpression,StringLiteral: a copy of empty metadata is empty too.
          event.metadataJson === "{}"
            ? emptyMetadata
            : (JsonCopy.copy(event.metadata, event.metadataJson) as RecordedEvent.EventMetadata),
        tags: event.tags,
        recordedAt: dateOf(event.recordedAt)
      }
      all.push(recorded)
      target.events.push(recorded)
      target.ids?.set(event.id, recorded)
      positions[i] = recorded.position
    }
    // Stryker disable next-line ConditionalExpression: a waiter woken with nothing new checks again and waits on.
    if (notify) notifier.notify()
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
        // Stryker disable next-line ConditionalExpression,EqualityOperator: slice gives nothing for such a range too.
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
      // Stryker disable next-line ConditionalExpression,EqualityOperator: slice gives nothing past the end too.
      return from >= all.length ? [] : all.slice(from, Math.min(all.length, from + limit))
    })

  /** Whether an event passes a filter (positions aside). */
  const passes = (filter: StorageEngine.EventFilter, event: RecordedEvent.RecordedEvent) =>
    filter.query !== undefined
      ? Query.matches(filter.query, event)
      : filter.category === undefined || event.streamId.startsWith(filter.category)

  /** The matching events after `after` (a scan of the global order: the in-memory store keeps no index). */
  const matching = (filter: StorageEngine.EventFilter, after: Position.Position, limit: number) => {
    const end = filter.until === undefined ? all.length : Math.min(all.length, PositionEncoding.toCounter(filter.until))
    const out: Array<RecordedEvent.RecordedEvent> = []
    for (let i = PositionEncoding.toCounter(after); i < end && out.length < limit; i++) {
      if (passes(filter, all[i]!)) out.push(all[i]!)
    }
    return out
  }

  // Synchronous: the condition is read and the batches written with nothing in between.
  const appendMany = (
    requests: ReadonlyArray<StorageEngine.AppendRequest>,
    condition: StorageEngine.Condition | undefined
  ) =>
    Effect.suspend((): ReturnType<StorageEngine.StorageEngine["appendMany"]> => {
      const entries = requests.map((request) => streams.get(request.streamId))
      const facts = requests.map((request, i) => ({
        version: entries[i]?.events.length ?? 0,
        stored: storedIds(entries[i], request)
      }))
      const conflicting =
        condition === undefined ? undefined : matching({ query: condition.query }, condition.after, 1)[0]
      const decision = ConditionRule.decideMany(requests, facts, conflicting)
      switch (decision._tag) {
        case "Fail":
          return Effect.fail(decision.error)
        case "Done":
          return Effect.succeed(decision.results)
        case "Write":
          return Effect.succeed(
            decision.decisions.map((d, i) =>
              d._tag === "Write"
                ? write(requests[i]!, entries[i], d.version)
                : (d as { result: EventStore.AppendResult }).result
            )
          )
      }
    })

  const listStreams = (range: AdminEngine.StreamsRange) =>
    Effect.sync(() => {
      const ids: Array<string> = []
      for (const id of streams.keys()) {
        if (
          id.startsWith(range.prefix) &&
          (range.after === undefined || AdminEngine.compareStreamIds(id, range.after) > 0)
        )
          ids.push(id)
      }
      return ids
        .sort(AdminEngine.compareStreamIds)
        .slice(0, range.limit)
        .map((id): StoreAdmin.StreamInfo => {
          const last = streams.get(id)!.events.at(-1)!
          return {
            streamId: last.streamId,
            version: last.version,
            position: last.position,
            lastRecordedAt: last.recordedAt
          }
        })
    })

  const stats = Effect.sync((): StoreAdmin.Stats => {
    const types = new Map<string, number>()
    let first = Number.POSITIVE_INFINITY
    let last = Number.NEGATIVE_INFINITY
    for (const event of all) {
      types.set(event.type, (types.get(event.type) ?? 0) + 1)
      const at = event.recordedAt.getTime()
      // Stryker disable next-line EqualityOperator: an equal time leaves the earliest the same.
      if (at < first) first = at
      // Stryker disable next-line EqualityOperator: an equal time leaves the latest the same.
      if (at > last) last = at
    }
    return {
      events: all.length,
      streams: streams.size,
      head: PositionEncoding.fromCounter(all.length),
      firstRecordedAt: all.length === 0 ? undefined : new Date(first),
      lastRecordedAt: all.length === 0 ? undefined : new Date(last),
      eventTypes: [...types]
        .sort(([a], [b]) => AdminEngine.compareStreamIds(a, b))
        .map(([type, count]) => ({ type, count })),
      size: { _tag: "Unknown" }
    }
  })

  const importRuns = (runs: ReadonlyArray<AppendRule.ImportRun>) =>
    Effect.suspend((): Effect.Effect<StoreAdmin.ImportResult, StoreAdmin.ImportConflict> => {
      const head = all.length
      const lengths = new Map<string, number>()
      let written = 0
      let skipped = 0
      for (const run of runs) {
        const entry = streams.get(run.streamId)
        if (!lengths.has(run.streamId)) lengths.set(run.streamId, entry?.events.length ?? 0)
        const request = { streamId: run.streamId, events: run.events, expectedVersion: ExpectedVersion.any }
        const decision = AppendRule.decideImport(run, {
          version: entry?.events.length ?? 0,
          stored: storedIds(entry, request)
        })
        if (decision._tag === "Conflict") {
          undo(head, lengths)
          return Effect.fail(decision.error)
        }
        skipped += decision.skipped
        if (decision._tag === "Write") {
          // Stryker disable next-line BooleanLiteral: a waiter woken with nothing new checks again and waits on.
          write({ streamId: run.streamId, events: decision.events }, entry, decision.version, false)
          written += decision.events.length
        }
      }
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a waiter woken with nothing new waits on.
      if (written > 0) notifier.notify()
      return Effect.succeed({ written, skipped })
    })

  /** Takes back an import's writes: the global order back to `head`, each stream back to its length before. */
  const undo = (head: number, lengths: ReadonlyMap<string, number>) => {
    all.length = head
    for (const [id, length] of lengths) {
      const entry = streams.get(id)
      if (entry === undefined) continue
      if (length === 0) {
        streams.delete(id)
        continue
      }
      for (const event of entry.events.splice(length)) entry.ids?.delete(event.id)
    }
  }

  return {
    append,
    readStream,
    readAll,
    appendMany,
    readFiltered: (filter, after, limit) => Effect.sync(() => matching(filter, after, limit)),
    streamVersion: (streamId) => Effect.sync(() => streams.get(streamId)?.events.length ?? 0),
    headPosition: Effect.sync(() => PositionEncoding.fromCounter(all.length)),
    awaitAppend: (after) => notifier.wait(() => all.length > PositionEncoding.toCounter(after)),
    listStreams,
    stats,
    lastCommitted: Effect.sync(() => PositionEncoding.fromCounter(all.length)),
    countAfter: (after) => Effect.sync(() => Math.max(0, all.length - PositionEncoding.toCounter(after))),
    importRuns
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
 * A Layer providing a fresh, empty in-memory `EventStore`, and its `StoreAdmin` (over the same events).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<EventStore.EventStore | StoreAdmin.StoreAdmin> = Layer.effectContext(
  Effect.sync(() => {
    const engine = makeEngine()
    return Context.make(EventStore.EventStore, StorageEngine.toEventStore(engine)).pipe(
      Context.add(StoreAdmin.StoreAdmin, AdminEngine.toStoreAdmin(engine))
    )
  })
)
