/**
 * The storage engine contract: the few primitives a backend implements. `toEventStore` turns an engine into the
 * full `EventStore` service, so every store behaves alike; `AppendRule` decides every append; `Notifier` wakes live
 * readers. For store authors: applications use the `EventStore` service and a store's Layer.
 *
 * @since 0.1.0
 */
import { Chunk, Effect, Either, Option, Stream } from "effect"
import * as EventStore from "../EventStore.js"
import type { DuplicateEventId, EventDecodeError, WrongExpectedVersion } from "../EventStoreError.js"
import * as ExpectedVersion from "../ExpectedVersion.js"
import { traced, tracedStream, tracedWith } from "../internal/tracing.js"
import { checkExpectedVersion, checkReadOptions, type PreparedEvent, prepare } from "../internal/validate.js"
import * as Position from "../Position.js"
import type { NewEvent, RecordedEvent } from "../RecordedEvent.js"
import type { StorageError } from "../StorageError.js"
import * as StreamId from "../StreamId.js"

/**
 * A new event after validation, with its id assigned and its data and metadata serialized: what an engine writes.
 *
 * @since 0.1.0
 * @category models
 */
export type { PreparedEvent } from "../internal/validate.js"

/**
 * One validated append, to be written atomically as `AppendRule` decides.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendRequest {
  readonly streamId: StreamId.StreamId
  readonly events: ReadonlyArray<PreparedEvent>
  readonly expectedVersion: ExpectedVersion.ExpectedVersion
}

/**
 * One page of a stream: versions `from` to `to` inclusive, forward or backward, at most `limit` events.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamRange {
  readonly from: number
  readonly to: number
  readonly limit: number
  readonly direction: "forward" | "backward"
}

/**
 * The engine contract. Every method is atomic on its own.
 *
 * - `append` gathers `AppendRule.Facts` inside one transaction, does what `AppendRule.decide` says, and writes every
 *   event or none, at versions `current + 1 ...` and increasing positions;
 * - `readAll(after, limit)` returns the next events after `after` in the global order, and must never return an
 *   event and later let one with a lower position appear (on a database with concurrent writers it reads only up to
 *   the oldest transaction still in flight);
 * - `awaitAppend(after)` completes once the head may be past `after` (at once if it already is).
 *
 * @since 0.1.0
 * @category models
 */
export interface StorageEngine {
  readonly append: (
    request: AppendRequest
  ) => Effect.Effect<EventStore.AppendResult, WrongExpectedVersion | DuplicateEventId | StorageError>
  readonly readStream: (
    streamId: StreamId.StreamId,
    range: StreamRange
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, StorageError | EventDecodeError>
  readonly readAll: (
    after: Position.Position,
    limit: number
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, StorageError | EventDecodeError>
  readonly streamVersion: (streamId: StreamId.StreamId) => Effect.Effect<number, StorageError>
  readonly headPosition: Effect.Effect<Position.Position, StorageError>
  readonly awaitAppend: (after: Position.Position) => Effect.Effect<void, StorageError>
}

/** An option's value, or its default; options are checked by `checkReadOptions` first. */
const normalize = (n: number | undefined, fallback: number): number => (n === undefined ? fallback : n)

/**
 * Builds the `EventStore` service from a storage engine: everything a store must get right once — stream id and
 * event validation, JSON serialization, ids, `recordedAt` from Effect's `Clock`, paging, subscriptions and spans —
 * lives here, so every store behaves alike.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toEventStore = (engine: StorageEngine): EventStore.EventStore["Type"] => {
  const append = (streamId: string, events: ReadonlyArray<NewEvent>, options?: EventStore.AppendOptions) =>
    tracedWith(
      "EventStore.append",
      () => ({ "chronicle.stream_id": streamId, "chronicle.event_count": events.length }),
      (clock): Effect.Effect<EventStore.AppendResult, EventStore.AppendError> => {
        const id = StreamId.validate(streamId)
        if (Either.isLeft(id)) return Effect.fail(id.left)
        const badVersion = checkExpectedVersion(options?.expectedVersion)
        if (badVersion !== undefined) return Effect.fail(badVersion)
        const prepared = prepare(id.right, events, clock.unsafeCurrentTimeMillis())
        if (!Array.isArray(prepared)) return Effect.fail(prepared)
        return engine.append({
          streamId: id.right,
          events: prepared,
          expectedVersion: options?.expectedVersion ?? ExpectedVersion.any
        })
      }
    )

  /** The first page of a stream read, and how to get the page after a given one. */
  const streamPages = (options: EventStore.ReadStreamOptions | undefined) => {
    const direction = options?.direction ?? "forward"
    const backward = direction === "backward"
    const pageSize = Math.max(1, normalize(options?.pageSize, EventStore.defaultPageSize))
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

  const readStream = (streamId: string, options?: EventStore.ReadStreamOptions) =>
    Stream.unwrap(
      Effect.map(Effect.zipLeft(StreamId.make(streamId), failIfDefined(checkReadOptions(options))), (id) => {
        const pages = streamPages(options)
        return Stream.unfoldChunkEffect(
          pages.first as { readonly from: number; readonly remaining: number } | undefined,
          (cursor) => {
            const current = cursor === undefined ? undefined : pages.range(cursor.from, cursor.remaining)
            if (cursor === undefined || current === undefined) return Effect.succeed(Option.none())
            return Effect.map(engine.readStream(id, current), (page) =>
              // Stryker disable next-line ConditionalExpression: an empty page is short, so the read ends after it all the same
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
    options?: EventStore.ReadStreamOptions
  ): Effect.Effect<S, E | EventStore.ReadError | StreamId.InvalidStreamId> =>
    traced("EventStore.foldStream", () => ({ "chronicle.stream_id": streamId }))(
      Effect.suspend((): Effect.Effect<S, E | EventStore.ReadError | StreamId.InvalidStreamId> => {
        const id = StreamId.validate(streamId)
        if (Either.isLeft(id)) return Effect.fail(id.left)
        const badOption = checkReadOptions(options)
        if (badOption !== undefined) return Effect.fail(badOption)
        const pages = streamPages(options)
        const loop = (
          state: S,
          cursor: { readonly from: number; readonly remaining: number } | undefined
        ): Effect.Effect<S, E | EventStore.ReadError> => {
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

  const readAll = (options?: EventStore.ReadAllOptions) =>
    Stream.unwrap(Effect.as(failIfDefined(checkReadOptions(options)), readAllChecked(options)))

  const readAllChecked = (options?: EventStore.ReadAllOptions) => {
    const pageSize = Math.max(1, normalize(options?.pageSize, EventStore.defaultPageSize))
    return Stream.unfoldChunkEffect(
      { after: options?.after ?? Position.start, remaining: normalize(options?.maxCount, Number.MAX_SAFE_INTEGER) },
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
  const subscribeChecked = (options?: EventStore.SubscribeOptions) => {
    const pageSize = Math.max(1, normalize(options?.pageSize, EventStore.defaultPageSize))
    const live = Stream.unfoldChunkEffect(
      // Waiting first would return at once when events follow `after`; on an empty store the first read finds nothing.
      // Stryker disable next-line BooleanLiteral: so starting caught up changes nothing
      { after: options?.after ?? Position.start, caughtUp: false },
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

  const subscribe = (options?: EventStore.SubscribeOptions) =>
    Stream.unwrap(Effect.as(failIfDefined(checkReadOptions(options)), subscribeChecked(options)))

  const streamVersion = (streamId: string) => Effect.flatMap(StreamId.make(streamId), engine.streamVersion)

  return { append, readStream, foldStream, readAll, subscribe, streamVersion, headPosition: engine.headPosition }
}

const failIfDefined = <E>(error: E | undefined): Effect.Effect<void, E> =>
  error === undefined ? Effect.void : Effect.fail(error)
