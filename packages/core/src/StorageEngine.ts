/**
 * The primitive operations a storage backend implements. `EventStore.make` turns an engine into the full
 * `EventStore` service (validation, ids, timestamps, paging, subscriptions, tracing), so every store behaves alike.
 *
 * @since 0.1.0
 */
import type { Effect } from "effect"
import type { ExpectedVersion } from "./ExpectedVersion.js"
import type { DuplicateEventId, EventDecodeError, EventStoreError, WrongExpectedVersion } from "./EventStoreError.js"
import type { PreparedEvent, RecordedEvent } from "./RecordedEvent.js"
import type { StreamId } from "./StreamId.js"

/**
 * One validated append, to be written atomically.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendRequest {
  readonly streamId: StreamId
  readonly events: ReadonlyArray<PreparedEvent>
  readonly expectedVersion: ExpectedVersion
  /** Epoch milliseconds, from Effect's `Clock`. */
  readonly recordedAt: number
}

/**
 * What an append returns: the stream's version after the batch and the global position of each event.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendResult {
  readonly version: number
  readonly positions: ReadonlyArray<number>
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
 * The engine contract. Every method is atomic on its own; `append` must:
 * 1. when `Idempotency.hasProvidedIds(events)`, look up the stream's stored events with those ids and apply
 *    `Idempotency.resolve` (a repeat returns the original result and writes nothing);
 * 2. check the expected version against the stream's current version, failing with `WrongExpectedVersion`;
 * 3. write every event or none, at versions `current + 1 ...` and increasing global positions.
 * `readAll(after, limit)` must never return an event and later let an event with a lower position appear.
 *
 * @since 0.1.0
 * @category models
 */
export interface StorageEngine {
  readonly append: (
    request: AppendRequest
  ) => Effect.Effect<AppendResult, WrongExpectedVersion | DuplicateEventId | EventStoreError>
  readonly readStream: (
    streamId: StreamId,
    range: StreamRange
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, EventStoreError | EventDecodeError>
  readonly readAll: (
    after: number,
    limit: number
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, EventStoreError | EventDecodeError>
  readonly streamVersion: (streamId: StreamId) => Effect.Effect<number, EventStoreError>
  readonly headPosition: Effect.Effect<number, EventStoreError>
  /** Completes once the head position may be past `after` (at once if it already is). Used by live subscriptions. */
  readonly awaitAppend: (after: number) => Effect.Effect<void, EventStoreError>
}
