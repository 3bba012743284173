/**
 * What the API's requests and responses carry, as Schemas: events as JSON (positions as their text, times as ISO
 * 8601), appends, pages, stats, checkpoints and folded states. The OpenAPI document and the typed client are made
 * from them.
 *
 * @since 0.1.0
 */
import { Position, type RecordedEvent } from "@chronicle/core"
import { Schema } from "effect"

/**
 * A recorded event: its global position (`Position.format`), id, stream, version, type, JSON data and metadata, and
 * when it was recorded.
 *
 * @since 0.1.0
 * @category models
 */
export const Event = Schema.Struct({
  position: Schema.String,
  id: Schema.String,
  streamId: Schema.String,
  version: Schema.Number,
  type: Schema.String,
  data: Schema.Unknown,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  recordedAt: Schema.String
}).annotations({ identifier: "Event" })

/**
 * A recorded event as the API shows it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const eventOf = (event: RecordedEvent.RecordedEvent): typeof Event.Type => ({
  position: Position.format(event.position),
  id: event.id,
  streamId: event.streamId,
  version: event.version,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: event.recordedAt.toISOString()
})

/**
 * An event to append. An `id` (a UUID) makes a retry idempotent: the same ids appended again return the first result.
 *
 * @since 0.1.0
 * @category models
 */
export const NewEvent = Schema.Struct({
  id: Schema.optionalWith(Schema.UUID, { exact: true }),
  type: Schema.String,
  data: Schema.Unknown,
  metadata: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { exact: true })
}).annotations({ identifier: "NewEvent" })

/**
 * The body of an append: the events, written together or not at all.
 *
 * @since 0.1.0
 * @category models
 */
export const AppendRequest = Schema.Struct({ events: Schema.Array(NewEvent) }).annotations({
  identifier: "AppendRequest"
})

/**
 * What an append answers (201): the stream's version after it and each event's global position.
 *
 * @since 0.1.0
 * @category models
 */
export const Appended = Schema.Struct({
  streamId: Schema.String,
  version: Schema.Number,
  positions: Schema.Array(Schema.String)
}).annotations({ identifier: "Appended" })

/**
 * A stream in a listing: its version, and its last event's position and time.
 *
 * @since 0.1.0
 * @category models
 */
export const StreamInfo = Schema.Struct({
  streamId: Schema.String,
  version: Schema.Number,
  position: Schema.String,
  lastRecordedAt: Schema.String
}).annotations({ identifier: "StreamInfo" })

/**
 * A page of streams and the cursor of the next one (`null` after the last).
 *
 * @since 0.1.0
 * @category models
 */
export const StreamPage = Schema.Struct({ streams: Schema.Array(StreamInfo), next: Schema.NullOr(Schema.String) })

/**
 * A page of one stream's events, its current version (also its `ETag`), and the version the next page starts at.
 *
 * @since 0.1.0
 * @category models
 */
export const StreamEvents = Schema.Struct({
  streamId: Schema.String,
  version: Schema.Number,
  events: Schema.Array(Event),
  next: Schema.NullOr(Schema.Number)
})

/**
 * A page of the global order, the position to read after for the next page (`null` at the head), and the head.
 *
 * @since 0.1.0
 * @category models
 */
export const EventPage = Schema.Struct({
  events: Schema.Array(Event),
  next: Schema.NullOr(Schema.String),
  head: Schema.String
})

/**
 * The store's totals, as `chronicle stats` prints them.
 *
 * @since 0.1.0
 * @category models
 */
export const Stats = Schema.Struct({
  events: Schema.Number,
  streams: Schema.Number,
  head: Schema.String,
  firstRecordedAt: Schema.NullOr(Schema.String),
  lastRecordedAt: Schema.NullOr(Schema.String),
  eventTypes: Schema.Array(Schema.Struct({ type: Schema.String, count: Schema.Number })),
  sizeBytes: Schema.NullOr(Schema.Number)
})

/**
 * A projection's checkpoint and its lag: how many events it has yet to apply.
 *
 * @since 0.1.0
 * @category models
 */
export const Checkpoint = Schema.Struct({ name: Schema.String, position: Schema.String, lag: Schema.Number })

/**
 * A decider registered with the server, and the streams it folds.
 *
 * @since 0.1.0
 * @category models
 */
export const DeciderInfo = Schema.Struct({ name: Schema.String, streamPrefix: Schema.String })

/**
 * A stream's state folded by its registered decider up to a version, and the event at that version (`null` at 0).
 *
 * @since 0.1.0
 * @category models
 */
export const StateAt = Schema.Struct({
  streamId: Schema.String,
  decider: Schema.String,
  version: Schema.Number,
  state: Schema.Unknown,
  event: Schema.NullOr(Event)
})

/** A whole number at least `min`, from a query string. */
const wholeFromString = (min: number) => Schema.NumberFromString.pipe(Schema.int(), Schema.greaterThanOrEqualTo(min))

/**
 * The query of a stream listing.
 *
 * @since 0.1.0
 * @category models
 */
export const ListStreamsQuery = Schema.Struct({
  prefix: Schema.optionalWith(Schema.String, { exact: true }),
  after: Schema.optionalWith(Schema.String, { exact: true }),
  limit: Schema.optionalWith(wholeFromString(1), { exact: true })
})

/**
 * The query of a stream read: from a version, at most `limit` events, forward (default) or backward.
 *
 * @since 0.1.0
 * @category models
 */
export const ReadStreamQuery = Schema.Struct({
  from: Schema.optionalWith(wholeFromString(1), { exact: true }),
  limit: Schema.optionalWith(wholeFromString(1), { exact: true }),
  direction: Schema.optionalWith(Schema.Literal("forward", "backward"), { exact: true })
})

/**
 * The query of a global read: the events after a position, at most `limit`.
 *
 * @since 0.1.0
 * @category models
 */
export const ReadAllQuery = Schema.Struct({
  after: Schema.optionalWith(Schema.String, { exact: true }),
  limit: Schema.optionalWith(wholeFromString(1), { exact: true })
})

/**
 * The query of a folded state: the version to fold up to (default: the stream's).
 *
 * @since 0.1.0
 * @category models
 */
export const StateQuery = Schema.Struct({ version: Schema.optionalWith(wholeFromString(0), { exact: true }) })

/**
 * The path of the stream endpoints.
 *
 * @since 0.1.0
 * @category models
 */
export const StreamPath = Schema.Struct({ streamId: Schema.String })
