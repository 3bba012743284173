/**
 * The `EventStore` service: append-only streams with optimistic concurrency, reads by stream and in global order,
 * and live subscriptions. Stores provide it as a Layer.
 *
 * @since 0.1.0
 */
import { Context, Effect, type Either, Stream } from "effect"
import type {
  AppendConditionFailed,
  DuplicateEventId,
  EventDecodeError,
  InvalidArgument,
  InvalidEvent,
  WrongExpectedVersion
} from "./EventStoreError.js"
import type * as ExpectedVersion from "./ExpectedVersion.js"
import type { Position } from "./Position.js"
import type { Query } from "./Query.js"
import type { NewEvent, RecordedEvent } from "./RecordedEvent.js"
import type { StorageError } from "./StorageError.js"
import type * as StreamId from "./StreamId.js"

/**
 * What an append returns: the stream's version after the batch and the global position of each event.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendResult {
  readonly version: number
  readonly positions: ReadonlyArray<Position>
}

/**
 * The condition of an append (Dynamic Consistency Boundary): it fails with `AppendConditionFailed`, writing nothing,
 * when an event matching `failIfEventsMatch` is stored after `after` (from the start when `undefined`). Decided in the
 * same transaction as the write: of two appends whose conditions each match the other's events, at most one commits.
 * `after` is usually the marker of the read the decision was made on (`EventStore.read`).
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendCondition {
  readonly failIfEventsMatch: Query
  readonly after: Position | undefined
}

/**
 * Options of `append`. `expectedVersion` defaults to `ExpectedVersion.any`; a `condition` is checked beside it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion.ExpectedVersion
  readonly condition?: AppendCondition
}

/**
 * One stream's part of `appendMany`.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamAppend {
  readonly streamId: string
  readonly events: ReadonlyArray<NewEvent>
  readonly expectedVersion?: ExpectedVersion.ExpectedVersion
}

/**
 * Options of `appendMany`: a condition checked against the whole store.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendManyOptions {
  readonly condition?: AppendCondition
}

/**
 * Options of `read`: the events after `after` (default the start), read in pages of `pageSize`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  readonly after?: Position
  readonly pageSize?: number
}

/**
 * What `read` returns: `marker`, the position up to which the store looked (taken before reading, commit-safe: no
 * event at or before it can still appear), and the matching events after `after` up to it, in global order, read in
 * pages as the stream is pulled. An append conditioned on the same query `after: marker` fails if anything matching
 * was stored since. The marker is returned when nothing matched too.
 *
 * @since 0.1.0
 * @category models
 */
export interface QueryRead {
  readonly marker: Position
  readonly events: Stream.Stream<RecordedEvent, ReadError>
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
 * Options of `readAll` and `subscribe`: `after` is a global position (a checkpoint); the events read are those after
 * it. The default, `Position.start`, reads from the first event. `query` or `category` (not both) filter the events.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadAllOptions {
  readonly after?: Position
  /** Only events matching this query (through the store's type and tag indexes). */
  readonly query?: Query
  /** Only events of streams whose id starts with this prefix (a category, e.g. `BankAccount-`). */
  readonly category?: string
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
export type ReadError = StorageError | EventDecodeError | InvalidArgument

/**
 * Errors of `append`.
 *
 * @since 0.1.0
 * @category models
 */
export type AppendError =
  | WrongExpectedVersion
  | AppendConditionFailed
  | DuplicateEventId
  | InvalidEvent
  | StreamId.InvalidStreamId
  | InvalidArgument
  | StorageError

/**
 * The event store. Stores provide it as a Layer (`InMemoryEventStore.layer`, `SqliteEventStore.layer`, ...); a
 * storage engine becomes one through `StorageEngine.toEventStore` of `@chronicle/core/engine`.
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
    /**
     * Appends to several streams atomically, each with its own expected version, under one optional condition: all
     * of it or nothing. A stream appears at most once. Results are in the order of `appends`.
     */
    readonly appendMany: (
      appends: ReadonlyArray<StreamAppend>,
      options?: AppendManyOptions
    ) => Effect.Effect<ReadonlyArray<AppendResult>, AppendError>
    /** Reads the events matching a query, with the consistency marker to condition an append on. */
    readonly read: (query: Query, options?: ReadOptions) => Effect.Effect<QueryRead, ReadError>
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
    readonly streamVersion: (streamId: string) => Effect.Effect<number, StorageError | StreamId.InvalidStreamId>
    /** The global position of the last event stored (`Position.start` when the store is empty). */
    readonly headPosition: Effect.Effect<Position, StorageError>
  }
>() {}

/**
 * The page size used by reads when none is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPageSize = 1000

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
 * Appends to several streams atomically with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const appendMany = (
  appends: ReadonlyArray<StreamAppend>,
  options?: AppendManyOptions
): Effect.Effect<ReadonlyArray<AppendResult>, AppendError, EventStore> =>
  Effect.flatMap(EventStore, (store) => store.appendMany(appends, options))

/**
 * Reads the events matching a query, with its consistency marker, with the `EventStore` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const read = (query: Query, options?: ReadOptions): Effect.Effect<QueryRead, ReadError, EventStore> =>
  Effect.flatMap(EventStore, (store) => store.read(query, options))

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
): Effect.Effect<number, StorageError | StreamId.InvalidStreamId, EventStore> =>
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
export const headPosition: Effect.Effect<Position, StorageError, EventStore> = Effect.flatMap(
  EventStore,
  (store) => store.headPosition
)
