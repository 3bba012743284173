/**
 * The `EventStore` service: append-only streams with optimistic concurrency, reads by stream and in global order,
 * and live subscriptions. Stores provide it as a Layer; `make` builds it from a `StorageEngine`.
 *
 * @since 0.1.0
 */
import { Chunk, Context, Effect, Either, Option, Stream } from "effect"
import * as ExpectedVersion from "./ExpectedVersion.js"
import type {
  DuplicateEventId,
  EventDecodeError,
  EventStoreError,
  InvalidArgument,
  InvalidEvent,
  WrongExpectedVersion
} from "./EventStoreError.js"
import { traced, tracedStream } from "./internal/tracing.js"
import { checkExpectedVersion, checkReadOptions, prepare } from "./internal/validate.js"
import type { NewEvent, RecordedEvent } from "./RecordedEvent.js"
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
 * Options of `subscribe`: `after` as for `readAll`; `maxCount` ends the subscription after that many events.
 *
 * @since 0.1.0
 * @category models
 */
export type SubscribeOptions = ReadAllOptions

/**
 * Errors of reads: a storage fault, a stored event that cannot be decoded, or an option out of range.
 *
 * @since 0.1.0
 * @category models
 */
export type ReadError = EventStoreError | EventDecodeError | InvalidArgument

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
  | InvalidArgument
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
    /** Catches up from a position, then follows new events as they commit; ends only after `maxCount` events. */
    readonly subscribe: (options?: SubscribeOptions) => Stream.Stream<RecordedEvent, ReadError>
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

/** An option's value, or its default; options are checked by `checkReadOptions` first. */
const normalize = (n: number | undefined, fallback: number): number => (n === undefined ? fallback : n)

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
        const badVersion = checkExpectedVersion(options?.expectedVersion)
        if (badVersion !== undefined) return Effect.fail(badVersion)
        const prepared = prepare(id.right, events)
        if (!Array.isArray(prepared)) return Effect.fail(prepared)
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
      Effect.map(Effect.zipLeft(StreamId.make(streamId), failIfDefined(checkReadOptions(options))), (id) => {
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
        const badOption = checkReadOptions(options)
        if (badOption !== undefined) return Effect.fail(badOption)
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

  const readAll = (options?: ReadAllOptions) =>
    Stream.unwrap(Effect.as(failIfDefined(checkReadOptions(options)), readAllChecked(options)))

  const readAllChecked = (options?: ReadAllOptions) => {
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

  // After a full page, read on; after a short one, the head was reached: wait for the next append (which returns at
  // once if one came meanwhile), then read on from the last position delivered. Nothing is skipped or repeated.
  const subscribeChecked = (options?: SubscribeOptions) => {
    const pageSize = Math.max(1, normalize(options?.pageSize, defaultPageSize))
    const live = Stream.unfoldChunkEffect(
      { after: normalize(options?.after, 0), caughtUp: false },
      ({ after, caughtUp }) =>
        Effect.zipRight(
          caughtUp ? engine.awaitAppend(after) : Effect.void,
          Effect.map(engine.readAll(after, pageSize), (page) => {
            const next = page.length === 0 ? after : page[page.length - 1]!.position
            return Option.some([
              Chunk.unsafeFromArray(page),
              { after: next, caughtUp: page.length < pageSize }
            ] as const)
          })
        )
    )
    return options?.maxCount === undefined ? live : Stream.take(live, options.maxCount)
  }

  const subscribe = (options?: SubscribeOptions) =>
    Stream.unwrap(Effect.as(failIfDefined(checkReadOptions(options)), subscribeChecked(options)))

  const streamVersion = (streamId: string) => Effect.flatMap(StreamId.make(streamId), engine.streamVersion)

  return { append, readStream, foldStream, readAll, subscribe, streamVersion, headPosition: engine.headPosition }
}

const failIfDefined = <E>(error: E | undefined): Effect.Effect<void, E> =>
  error === undefined ? Effect.void : Effect.fail(error)

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
export const subscribe = (options?: SubscribeOptions): Stream.Stream<RecordedEvent, ReadError, EventStore> =>
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

/**
 * Folds a stream's events, page by page, with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const foldStream = <S, E>(
  streamId: string,
  initial: S,
  step: (state: S, page: ReadonlyArray<RecordedEvent>) => Either.Either<S, E>,
  options?: ReadStreamOptions
): Effect.Effect<S, E | ReadError | StreamId.InvalidStreamId, EventStore> =>
  Effect.flatMap(EventStore, (store) => store.foldStream(streamId, initial, step, options))

/**
 * The global position of the last event stored, with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const headPosition: Effect.Effect<number, EventStoreError, EventStore> = Effect.flatMap(
  EventStore,
  (store) => store.headPosition
)
