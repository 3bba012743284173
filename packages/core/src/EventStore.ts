/**
 * The `EventStore` service: append-only streams with optimistic concurrency, reads by stream and in global order,
 * and live subscriptions. Stores provide it as a Layer; `make` builds it from a `StorageEngine`.
 *
 * @since 0.1.0
 */
import { Chunk, Context, Effect, Either, Option, Stream } from "effect"
import * as ExpectedVersion from "./ExpectedVersion.js"
import {
  type DuplicateEventId,
  type EventDecodeError,
  type EventStoreError,
  InvalidEvent,
  type WrongExpectedVersion
} from "./EventStoreError.js"
import type { NewEvent, PreparedEvent, RecordedEvent } from "./RecordedEvent.js"
import { traced, tracedStream } from "./internal/tracing.js"
import type { AppendResult, StorageEngine, StreamRange } from "./StorageEngine.js"
import * as StreamId from "./StreamId.js"

export type { AppendResult } from "./StorageEngine.js"

/**
 * Options of `append`. `expectedVersion` defaults to `ExpectedVersion.any`.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion.ExpectedVersion
}

/**
 * Options of `readStream`.
 *
 * - forward (the default): versions `from` (default 1) up to `to` (default the end), oldest first;
 * - backward: versions `from` (default the end) down to `to` (default 1), newest first;
 * - `maxCount` caps the number of events returned.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadStreamOptions {
  readonly direction?: "forward" | "backward"
  readonly from?: number
  readonly to?: number
  readonly maxCount?: number
  readonly pageSize?: number
}

/**
 * Options of `readAll` and `subscribe`: `after` is a global position (a checkpoint); the events read are those with
 * a greater position. The default, 0, reads from the first event.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadAllOptions {
  readonly after?: number
  readonly maxCount?: number
  readonly pageSize?: number
}

/**
 * Errors of reads: a storage fault, or a stored event that cannot be decoded.
 *
 * @since 0.1.0
 * @category models
 */
export type ReadError = EventStoreError | EventDecodeError

/**
 * Errors of `append`.
 *
 * @since 0.1.0
 * @category models
 */
export type AppendError =
  | WrongExpectedVersion
  | DuplicateEventId
  | InvalidEvent
  | StreamId.InvalidStreamId
  | EventStoreError

/**
 * The event store.
 *
 * @since 0.1.0
 * @category tags
 */
export class EventStore extends Context.Tag("@chronicle/core/EventStore")<
  EventStore,
  {
    /** Appends a batch atomically: all of it or nothing. An empty batch only checks the expected version. */
    readonly append: (
      streamId: string,
      events: ReadonlyArray<NewEvent>,
      options?: AppendOptions
    ) => Effect.Effect<AppendResult, AppendError>
    /** Reads one stream, in pages. A stream that does not exist reads as empty. */
    readonly readStream: (
      streamId: string,
      options?: ReadStreamOptions
    ) => Stream.Stream<RecordedEvent, ReadError | StreamId.InvalidStreamId>
    /**
     * Folds one stream's events, a page at a time, in bounded memory: the fast path for loading state (no `Stream`
     * machinery). `step` sees each page in order and returns the next state, or an error that ends the fold.
     */
    readonly foldStream: <S, E>(
      streamId: string,
      initial: S,
      step: (state: S, page: ReadonlyArray<RecordedEvent>) => Either.Either<S, E>,
      options?: ReadStreamOptions
    ) => Effect.Effect<S, E | ReadError | StreamId.InvalidStreamId>
    /** Reads every event in global order, in pages, in bounded memory; ends at the head as it finds it. */
    readonly readAll: (options?: ReadAllOptions) => Stream.Stream<RecordedEvent, ReadError>
    /** Catches up from a position, then follows new events as they commit; never ends on its own. */
    readonly subscribe: (options?: ReadAllOptions) => Stream.Stream<RecordedEvent, ReadError>
    /** The stream's current version (0 when it has no events). */
    readonly streamVersion: (streamId: string) => Effect.Effect<number, EventStoreError | StreamId.InvalidStreamId>
    /** The global position of the last event stored (0 when the store is empty). */
    readonly headPosition: Effect.Effect<number, EventStoreError>
  }
>() {}

/**
 * The page size used by reads when none is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPageSize = 1000

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A new random event id (UUID v4).
 *
 * @since 0.1.0
 * @category constructors
 */
export const newEventId: Effect.Effect<string> = Effect.sync(() => crypto.randomUUID())

const emptyMetadata = Object.freeze({})

const prepare = (streamId: string, events: ReadonlyArray<NewEvent>): Array<PreparedEvent> | InvalidEvent => {
  const prepared: Array<PreparedEvent> = new Array(events.length)
  let ids: Set<string> | undefined
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!
    const invalid = (reason: string) => new InvalidEvent({ streamId, index, reason })
    if (typeof event !== "object" || event === null) return invalid("an event must be an object")
    if (typeof event.type !== "string" || event.type.length === 0 || event.type.length > 256) {
      return invalid("the type must be a non-empty string of at most 256 characters")
    }
    if (typeof event.data !== "object" || event.data === null) return invalid("the data must be a JSON object or array")
    const metadata = event.metadata ?? emptyMetadata
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      return invalid("the metadata must be a JSON object")
    }
    let dataJson: string
    let metadataJson: string
    try {
      dataJson = JSON.stringify(event.data)
      metadataJson = metadata === emptyMetadata ? "{}" : JSON.stringify(metadata)
    } catch (error) {
      return invalid(`the event is not JSON-serializable: ${error instanceof Error ? error.message : String(error)}`)
    }
    let id = event.id
    const idProvided = id !== undefined
    if (idProvided) {
      if (typeof id !== "string" || !uuidPattern.test(id)) return invalid("the id must be a UUID")
      id = id.toLowerCase()
      ids ??= new Set()
      if (ids.has(id)) return invalid(`the id ${id} appears twice in the batch`)
      ids.add(id)
    } else {
      id = crypto.randomUUID()
    }
    prepared[index] = { id, idProvided, type: event.type, data: event.data, metadata, dataJson, metadataJson }
  }
  return prepared
}

const normalize = (n: number | undefined, fallback: number): number =>
  n === undefined || Number.isNaN(n) ? fallback : Math.max(0, Math.floor(Math.min(n, Number.MAX_SAFE_INTEGER)))

/**
 * Builds the `EventStore` service from a storage engine.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (engine: StorageEngine): EventStore["Type"] => {
  const append = (streamId: string, events: ReadonlyArray<NewEvent>, options?: AppendOptions) =>
    traced("EventStore.append", () => ({ "chronicle.stream_id": streamId, "chronicle.event_count": events.length }))(
      Effect.suspend((): Effect.Effect<AppendResult, AppendError> => {
        const id = StreamId.validate(streamId)
        if (Either.isLeft(id)) return Effect.fail(id.left)
        const prepared = prepare(id.right, events)
        if (prepared instanceof InvalidEvent) return Effect.fail(prepared)
        return Effect.clockWith((clock) =>
          engine.append({
            streamId: id.right,
            events: prepared,
            expectedVersion: options?.expectedVersion ?? ExpectedVersion.any,
            recordedAt: clock.unsafeCurrentTimeMillis()
          })
        )
      })
    )

  /** The first page of a stream read, and how to get the page after a given one. */
  const streamPages = (options: ReadStreamOptions | undefined) => {
    const direction = options?.direction ?? "forward"
    const backward = direction === "backward"
    const pageSize = Math.max(1, normalize(options?.pageSize, defaultPageSize))
    const last = normalize(options?.to, backward ? 1 : Number.MAX_SAFE_INTEGER)
    const max = normalize(options?.maxCount, Number.MAX_SAFE_INTEGER)
    const range = (from: number, remaining: number): StreamRange | undefined =>
      remaining <= 0 || (backward ? from < last : from > last)
        ? undefined
        : { from, to: last, limit: Math.min(pageSize, remaining), direction }
    const next = (page: ReadonlyArray<RecordedEvent>, current: StreamRange, remaining: number) => {
      if (page.length < current.limit) return undefined
      const end = page[page.length - 1]!.version
      return { from: backward ? end - 1 : end + 1, remaining: remaining - page.length }
    }
    return {
      first: { from: normalize(options?.from, backward ? Number.MAX_SAFE_INTEGER : 1), remaining: max },
      range,
      next
    }
  }

  const readStream = (streamId: string, options?: ReadStreamOptions) =>
    Stream.unwrap(
      Effect.map(StreamId.make(streamId), (id) => {
        const pages = streamPages(options)
        return Stream.unfoldChunkEffect(
          pages.first as { readonly from: number; readonly remaining: number } | undefined,
          (cursor) => {
            const current = cursor === undefined ? undefined : pages.range(cursor.from, cursor.remaining)
            if (cursor === undefined || current === undefined) return Effect.succeed(Option.none())
            return Effect.map(engine.readStream(id, current), (page) =>
              page.length === 0
                ? Option.none()
                : Option.some([Chunk.unsafeFromArray(page), pages.next(page, current, cursor.remaining)] as const)
            )
          }
        )
      })
    ).pipe(tracedStream("EventStore.readStream", () => ({ "chronicle.stream_id": streamId })))

  const foldStream = <S, E>(
    streamId: string,
    initial: S,
    step: (state: S, page: ReadonlyArray<RecordedEvent>) => Either.Either<S, E>,
    options?: ReadStreamOptions
  ): Effect.Effect<S, E | ReadError | StreamId.InvalidStreamId> =>
    traced("EventStore.foldStream", () => ({ "chronicle.stream_id": streamId }))(
      Effect.suspend((): Effect.Effect<S, E | ReadError | StreamId.InvalidStreamId> => {
        const id = StreamId.validate(streamId)
        if (Either.isLeft(id)) return Effect.fail(id.left)
        const pages = streamPages(options)
        const loop = (
          state: S,
          cursor: { readonly from: number; readonly remaining: number } | undefined
        ): Effect.Effect<S, E | ReadError> => {
          const current = cursor === undefined ? undefined : pages.range(cursor.from, cursor.remaining)
          if (cursor === undefined || current === undefined) return Effect.succeed(state)
          return Effect.flatMap(engine.readStream(id.right, current), (page) => {
            if (page.length === 0) return Effect.succeed(state)
            const stepped = step(state, page)
            if (Either.isLeft(stepped)) return Effect.fail(stepped.left)
            return loop(stepped.right, pages.next(page, current, cursor.remaining))
          })
        }
        return loop(initial, pages.first)
      })
    )

  const readAll = (options?: ReadAllOptions) => {
    const pageSize = Math.max(1, normalize(options?.pageSize, defaultPageSize))
    return Stream.unfoldChunkEffect(
      { after: normalize(options?.after, 0), remaining: normalize(options?.maxCount, Number.MAX_SAFE_INTEGER) },
      ({ after, remaining }) => {
        if (remaining <= 0) return Effect.succeed(Option.none())
        const limit = Math.min(pageSize, remaining)
        return Effect.map(engine.readAll(after, limit), (page) =>
          page.length === 0
            ? Option.none()
            : Option.some([
                Chunk.unsafeFromArray(page),
                { after: page[page.length - 1]!.position, remaining: page.length < limit ? 0 : remaining - page.length }
              ] as const)
        )
      }
    ).pipe(tracedStream("EventStore.readAll"))
  }

  const subscribe = (options?: ReadAllOptions) => {
    const pageSize = Math.max(1, normalize(options?.pageSize, defaultPageSize))
    return Stream.unfoldChunkEffect(normalize(options?.after, 0), (after) =>
      Effect.flatMap(engine.readAll(after, pageSize), (page) =>
        page.length === 0
          ? Effect.as(engine.awaitAppend(after), Option.some([Chunk.empty<RecordedEvent>(), after] as const))
          : Effect.succeed(Option.some([Chunk.unsafeFromArray(page), page[page.length - 1]!.position] as const))
      )
    )
  }

  const streamVersion = (streamId: string) => Effect.flatMap(StreamId.make(streamId), engine.streamVersion)

  return { append, readStream, foldStream, readAll, subscribe, streamVersion, headPosition: engine.headPosition }
}

/**
 * Appends a batch to a stream with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const append = (
  streamId: string,
  events: ReadonlyArray<NewEvent>,
  options?: AppendOptions
): Effect.Effect<AppendResult, AppendError, EventStore> =>
  Effect.flatMap(EventStore, (store) => store.append(streamId, events, options))

/**
 * Reads a stream with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const readStream = (
  streamId: string,
  options?: ReadStreamOptions
): Stream.Stream<RecordedEvent, ReadError | StreamId.InvalidStreamId, EventStore> =>
  Stream.unwrap(Effect.map(EventStore, (store) => store.readStream(streamId, options)))

/**
 * Reads every event in global order with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const readAll = (options?: ReadAllOptions): Stream.Stream<RecordedEvent, ReadError, EventStore> =>
  Stream.unwrap(Effect.map(EventStore, (store) => store.readAll(options)))

/**
 * Subscribes to every event, catching up then staying live, with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const subscribe = (options?: ReadAllOptions): Stream.Stream<RecordedEvent, ReadError, EventStore> =>
  Stream.unwrap(Effect.map(EventStore, (store) => store.subscribe(options)))

/**
 * A stream's current version with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const streamVersion = (
  streamId: string
): Effect.Effect<number, EventStoreError | StreamId.InvalidStreamId, EventStore> =>
  Effect.flatMap(EventStore, (store) => store.streamVersion(streamId))
