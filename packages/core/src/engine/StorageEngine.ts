/**
 * The storage engine contract: the few primitives a backend implements. `toEventStore` turns an engine into the
 * full `EventStore` service, so every store behaves alike; `AppendRule` decides every append; `Notifier` wakes live
 * readers. For store authors: applications use the `EventStore` service and a store's Layer.
 *
 * @since 0.1.0
 */
import { Chunk, Effect, Either, Option, Stream } from "effect"
import * as EventStore from "../EventStore.js"
import {
  type AppendConditionFailed,
  type DuplicateEventId,
  type EventDecodeError,
  InvalidArgument,
  type WrongExpectedVersion
} from "../EventStoreError.js"
import * as ExpectedVersion from "../ExpectedVersion.js"
import { traced, tracedStream, tracedWith } from "../internal/tracing.js"
import {
  checkExpectedVersion,
  checkPosition,
  checkQuery,
  checkReadOptions,
  type PreparedEvent,
  prepare
} from "../internal/validate.js"
import * as Position from "../Position.js"
import type { Query } from "../Query.js"
import type { NewEvent, RecordedEvent } from "../RecordedEvent.js"
import { type StorageError, of as storageFault } from "../StorageError.js"
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
 * A validated append condition: fail when an event matching `query` is stored after `after`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Condition {
  readonly query: Query
  readonly after: Position.Position
}

/**
 * What a filtered read selects: events matching `query`, or of streams whose id starts with `category` (one of the
 * two), at positions up to `until` inclusive when it is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventFilter {
  readonly query?: Query | undefined
  readonly category?: string | undefined
  readonly until?: Position.Position | undefined
}

/**
 * The engine contract. Every method is atomic on its own.
 *
 * - `append` gathers `AppendRule.Facts` inside one transaction, does what `AppendRule.decide` says, and writes every
 *   event or none, at versions `current + 1 ...` and increasing positions;
 * - `readAll(after, limit)` returns the next events after `after` in the global order, and must never return an
 *   event and later let one with a lower position appear (on a database with concurrent writers it reads only up to
 *   the oldest transaction still in flight);
 * - `awaitAppend(after)` completes once the head may be past `after` (at once if it already is);
 * - `appendMany(requests, condition)` appends to several streams (each at most once) in one transaction, decided by
 *   `ConditionRule.decideMany` on each stream's facts and on the first event matching the condition after its
 *   position, read in that same transaction — and, on a database with concurrent writers, such that of two appends
 *   whose conditions match each other's events at most one commits;
 * - `readFiltered(filter, after, limit)` is `readAll` restricted to the filter, through the store's indexes, with the
 *   same ordering guarantee.
 *
 * @since 0.1.0
 * @category models
 */
export interface StorageEngine {
  readonly append: (
    request: AppendRequest
  ) => Effect.Effect<
    EventStore.AppendResult,
    WrongExpectedVersion | DuplicateEventId | AppendConditionFailed | StorageError
  >
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
  readonly appendMany: (
    requests: ReadonlyArray<AppendRequest>,
    condition: Condition | undefined
  ) => Effect.Effect<
    ReadonlyArray<EventStore.AppendResult>,
    WrongExpectedVersion | DuplicateEventId | AppendConditionFailed | InvalidArgument | StorageError
  >
  readonly readFiltered: (
    filter: EventFilter,
    after: Position.Position,
    limit: number
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, StorageError | EventDecodeError>
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
        const request = {
          streamId: id.right,
          events: prepared,
          expectedVersion: options?.expectedVersion ?? ExpectedVersion.any
        }
        if (options?.condition === undefined) return engine.append(request)
        const condition = checkCondition(options.condition)
        if (condition instanceof InvalidArgument) return Effect.fail(condition)
        return Effect.map(engine.appendMany([request], condition), (results) => results[0]!)
      }
    )

  const appendMany = (appends: ReadonlyArray<EventStore.StreamAppend>, options?: EventStore.AppendManyOptions) =>
    tracedWith(
      "EventStore.appendMany",
      () => ({ "chronicle.stream_count": Array.isArray(appends) ? appends.length : 0 }),
      (clock): Effect.Effect<ReadonlyArray<EventStore.AppendResult>, EventStore.AppendError> => {
        if (!Array.isArray(appends)) {
          return Effect.fail(
            new InvalidArgument({ argument: "appends", value: typeof appends, reason: "must be an array" })
          )
        }
        const condition = options?.condition === undefined ? undefined : checkCondition(options.condition)
        if (condition instanceof InvalidArgument) return Effect.fail(condition)
        const now = clock.unsafeCurrentTimeMillis()
        const requests: Array<AppendRequest> = []
        const seen = new Set<string>()
        for (const part of appends) {
          const id = StreamId.validate(part?.streamId)
          if (Either.isLeft(id)) return Effect.fail(id.left)
          if (seen.has(id.right)) {
            return Effect.fail(
              new InvalidArgument({ argument: "appends", value: id.right, reason: "a stream may appear only once" })
            )
          }
          seen.add(id.right)
          const badVersion = checkExpectedVersion(part.expectedVersion)
          if (badVersion !== undefined) return Effect.fail(badVersion)
          const prepared = prepare(id.right, part.events, now)
          if (!Array.isArray(prepared)) return Effect.fail(prepared)
          requests.push({
            streamId: id.right,
            events: prepared,
            expectedVersion: part.expectedVersion ?? ExpectedVersion.any
          })
        }
        return engine.appendMany(requests, condition)
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

  /** Reads all events, or the filter's, page by page; what `readAll` and `read` share. */
  const pages = (
    options: EventStore.ReadAllOptions | undefined,
    filter: EventFilter | undefined
  ): Stream.Stream<RecordedEvent, EventStore.ReadError> => {
    const pageSize = Math.max(1, normalize(options?.pageSize, EventStore.defaultPageSize))
    const read =
      filter === undefined
        ? engine.readAll
        : (after: Position.Position, limit: number) => engine.readFiltered(filter, after, limit)
    return Stream.unfoldChunkEffect(
      { after: options?.after ?? Position.start, remaining: normalize(options?.maxCount, Number.MAX_SAFE_INTEGER) },
      ({ after, remaining }) => {
        if (remaining <= 0) return Effect.succeed(Option.none())
        const limit = Math.min(pageSize, remaining)
        return Effect.map(read(after, limit), (page) =>
          page.length === 0
            ? Option.none()
            : Option.some([
                Chunk.unsafeFromArray(page),
                { after: page[page.length - 1]!.position, remaining: page.length < limit ? 0 : remaining - page.length }
              ] as const)
        )
      }
    )
  }

  const readAll = (options?: EventStore.ReadAllOptions) =>
    Stream.unwrap(Effect.map(checkFilteredOptions(options), (filter) => pages(options, filter))).pipe(
      tracedStream("EventStore.readAll")
    )

  const read = (query: Query, options?: EventStore.ReadOptions) =>
    traced("EventStore.read")(
      Effect.zipRight(
        failIfDefined(checkQuery("query", query) ?? checkReadOptions(options)),
        Effect.map(
          // The marker is the head: a fault reading it is the fault of this read.
          Effect.mapError(engine.headPosition, (error) => storageFault("EventStore.read")(error.cause)),
          (marker): EventStore.QueryRead => ({ marker, events: pages(options, { query, until: marker }) })
        )
      )
    )

  // After a full page, read on; after a short one, the head was reached: wait for the next append (which returns at
  // once if one came meanwhile), then read on from the last position delivered. Nothing is skipped or repeated.
  // A filtered page is read up to the head taken before it: after a short page, the subscription has looked at
  // everything up to that head, and waits for an append after it.
  const subscribeChecked = (options: EventStore.SubscribeOptions | undefined, filter: EventFilter | undefined) => {
    const pageSize = Math.max(1, normalize(options?.pageSize, EventStore.defaultPageSize))
    const page = (after: Position.Position) =>
      filter === undefined
        ? Effect.map(engine.readAll(after, pageSize), (events) => ({ events, head: after }))
        : Effect.flatMap(engine.headPosition, (head) =>
            Effect.map(engine.readFiltered({ ...filter, until: head }, after, pageSize), (events) => ({
              events,
              head
            }))
          )
    const live = Stream.unfoldChunkEffect(
      // Waiting first would return at once when events follow `after`; on an empty store the first read finds nothing.
      // Stryker disable next-line BooleanLiteral: so starting caught up changes nothing
      { after: options?.after ?? Position.start, caughtUp: false },
      ({ after, caughtUp }) =>
        Effect.zipRight(
          caughtUp ? engine.awaitAppend(after) : Effect.void,
          Effect.map(page(after), ({ events: page, head }) => {
            const next =
              page.length === pageSize
                ? page[page.length - 1]!.position
                : Position.max(head, page.length === 0 ? after : page[page.length - 1]!.position)
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
    Stream.unwrap(Effect.map(checkFilteredOptions(options), (filter) => subscribeChecked(options, filter)))

  const streamVersion = (streamId: string) => Effect.flatMap(StreamId.make(streamId), engine.streamVersion)

  return {
    append,
    appendMany,
    read,
    readStream,
    foldStream,
    readAll,
    subscribe,
    streamVersion,
    headPosition: engine.headPosition
  }
}

/** A condition's query and position, checked; the position defaults to the start. */
const checkCondition = (condition: EventStore.AppendCondition): Condition | InvalidArgument => {
  if (typeof condition !== "object" || condition === null) {
    return new InvalidArgument({ argument: "condition", value: String(condition), reason: "must be an object" })
  }
  return (
    checkQuery("condition.failIfEventsMatch", condition.failIfEventsMatch) ??
    checkPosition("condition.after", condition.after) ?? {
      query: condition.failIfEventsMatch,
      after: condition.after ?? Position.start
    }
  )
}

/** Read options checked, with their filter (a query or a category, not both), if any. */
const checkFilteredOptions = (
  options: EventStore.ReadAllOptions | undefined
): Effect.Effect<EventFilter | undefined, InvalidArgument> => {
  const bad = checkReadOptions(options)
  if (bad !== undefined) return Effect.fail(bad)
  const query = options?.query
  const category = options?.category
  if (query === undefined && category === undefined) return Effect.succeed(undefined)
  if (query !== undefined && category !== undefined) {
    return Effect.fail(
      new InvalidArgument({ argument: "category", value: String(category), reason: "give a query or a category" })
    )
  }
  if (category !== undefined && (typeof category !== "string" || category.length === 0)) {
    return Effect.fail(
      new InvalidArgument({ argument: "category", value: String(category), reason: "must be a non-empty string" })
    )
  }
  const badQuery = query === undefined ? undefined : checkQuery("query", query)
  return badQuery === undefined ? Effect.succeed({ query, category }) : Effect.fail(badQuery)
}

const failIfDefined = <E>(error: E | undefined): Effect.Effect<void, E> =>
  error === undefined ? Effect.void : Effect.fail(error)
