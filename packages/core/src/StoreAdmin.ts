/**
 * The `StoreAdmin` service: what operators (a command line, an HTTP console) need from a store beyond reading and
 * appending — the streams it holds, its totals, how far a checkpoint lags behind the head, and importing events
 * exported from another store with their own ids, versions and times. Every store provides it beside `EventStore`,
 * and the conformance suite holds each to the same answers.
 *
 * Imports go through the same validation as `append` and the same append rule (`AppendRule`): an event whose id is
 * stored already at the same version with the same type and data is a repeat and writes nothing, so importing a file
 * twice writes nothing the second time; an event that meets another history (another event at its version, its id
 * elsewhere, a version gap) stops the import with `ImportConflict`. Each `importEvents` call is one transaction: all
 * of its new events are written, or none.
 *
 * @since 0.1.0
 */
import { Context, Effect, Schema } from "effect"
import type { InvalidArgument, InvalidEvent } from "./EventStoreError.js"
import type { Position } from "./Position.js"
import type { EventMetadata } from "./RecordedEvent.js"
import type { StorageError } from "./StorageError.js"
import type { InvalidStreamId, StreamId } from "./StreamId.js"

/**
 * One stream as `listStreams` shows it: its current version, and its last event's position and time.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamInfo {
  readonly streamId: StreamId
  readonly version: number
  readonly position: Position
  readonly lastRecordedAt: Date
}

/**
 * Options of `listStreams`: only ids starting with `prefix` (default: every stream), after the cursor `after` (the
 * `next` of the previous page), at most `limit` (default `defaultListLimit`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListStreamsOptions {
  readonly prefix?: string
  readonly after?: string
  readonly limit?: number
}

/**
 * A page of streams, in ascending order of their ids (code point order), and the cursor of the next page (`undefined`
 * after the last one).
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamPage {
  readonly streams: ReadonlyArray<StreamInfo>
  readonly next: string | undefined
}

/**
 * How many events of one type a store holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventTypeCount {
  readonly type: string
  readonly count: number
}

/**
 * The size of a store on disk: known for a database file, explicitly unknown for a store without one (memory, a
 * SQLite `:memory:` database).
 *
 * @since 0.1.0
 * @category models
 */
export type Size = { readonly _tag: "Known"; readonly bytes: number } | { readonly _tag: "Unknown" }

/**
 * A store's totals: events and streams, the head position, the earliest and latest `recordedAt` (`undefined` when
 * empty), the events per type (in ascending order of type) and the size on disk.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly events: number
  readonly streams: number
  readonly head: Position
  readonly firstRecordedAt: Date | undefined
  readonly lastRecordedAt: Date | undefined
  readonly eventTypes: ReadonlyArray<EventTypeCount>
  readonly size: Size
}

/**
 * An event to import, as another store recorded it: its own id (a UUID), stream, version, type, data, metadata, tags and
 * time. Its position is the importing store's own.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportEvent {
  readonly id: string
  readonly streamId: string
  readonly version: number
  readonly type: string
  readonly data: unknown
  readonly metadata?: EventMetadata
  readonly tags?: ReadonlyArray<string>
  readonly recordedAt: Date
}

/**
 * What an import did: events written, and events skipped because they were stored already (repeats).
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportResult {
  readonly written: number
  readonly skipped: number
}

/**
 * An imported event meets another history: the stream has another event at its version, its id is stored with
 * another payload or at another version, or its version leaves a gap. Nothing of the `importEvents` call that met it
 * is written.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportConflict extends Schema.TaggedError<ImportConflict>("@chronicle/core/ImportConflict")(
  "ImportConflict",
  { streamId: Schema.String, version: Schema.Number, eventId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Import conflicts with the history of stream ${JSON.stringify(this.streamId)} at version ${this.version} (event ${this.eventId}): ${this.reason}`
  }
}

/**
 * Errors of `importEvents`.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportError = ImportConflict | InvalidEvent | InvalidStreamId | InvalidArgument | StorageError

/**
 * The default page size of `listStreams`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultListLimit = 100

/**
 * The store's admin service. Stores provide it with `EventStore` (`InMemoryEventStore.layer`,
 * `SqliteEventStore.layer`, ...); an engine becomes one through `AdminEngine.toStoreAdmin` of
 * `@chronicle/core/engine`.
 *
 * @since 0.1.0
 * @category tags
 */
export class StoreAdmin extends Context.Tag("@chronicle/core/StoreAdmin")<
  StoreAdmin,
  {
    /** One page of streams, in ascending order of their ids. */
    readonly listStreams: (options?: ListStreamsOptions) => Effect.Effect<StreamPage, StorageError | InvalidArgument>
    /** The store's totals. */
    readonly stats: Effect.Effect<Stats, StorageError>
    /**
     * The position of the last committed event. Where transactions commit in position order (memory, SQLite) it is
     * the head; on PostgreSQL it is ahead of the head while a transaction that began before that event's is still
     * open, and `readAll` reaches it once every such transaction has ended. An export that must hold every event
     * committed when it began reads up to it.
     */
    readonly lastCommitted: Effect.Effect<Position, StorageError>
    /** How many events come after a position: how far a reader (a checkpoint) is behind the head. */
    readonly countAfter: (position: Position) => Effect.Effect<number, StorageError | InvalidArgument>
    /**
     * Imports events with their own ids, versions and times, in one transaction: new events are written, repeats
     * skipped; a conflict writes nothing of the call. Events of one stream must come in version order.
     */
    readonly importEvents: (events: ReadonlyArray<ImportEvent>) => Effect.Effect<ImportResult, ImportError>
  }
>() {}

/**
 * One page of streams, with the `StoreAdmin` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listStreams = (
  options?: ListStreamsOptions
): Effect.Effect<StreamPage, StorageError | InvalidArgument, StoreAdmin> =>
  Effect.flatMap(StoreAdmin, (admin) => admin.listStreams(options))

/**
 * The position of the last committed event, with the `StoreAdmin` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const lastCommitted: Effect.Effect<Position, StorageError, StoreAdmin> = Effect.flatMap(
  StoreAdmin,
  (admin) => admin.lastCommitted
)

/**
 * The store's totals, with the `StoreAdmin` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const stats: Effect.Effect<Stats, StorageError, StoreAdmin> = Effect.flatMap(StoreAdmin, (admin) => admin.stats)

/**
 * How many events come after a position, with the `StoreAdmin` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const countAfter = (position: Position): Effect.Effect<number, StorageError | InvalidArgument, StoreAdmin> =>
  Effect.flatMap(StoreAdmin, (admin) => admin.countAfter(position))

/**
 * Imports events, with the `StoreAdmin` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const importEvents = (
  events: ReadonlyArray<ImportEvent>
): Effect.Effect<ImportResult, ImportError, StoreAdmin> =>
  Effect.flatMap(StoreAdmin, (admin) => admin.importEvents(events))
