/**
 * The typed errors of the event store: conflicts, duplicates, invalid input and undecodable events. Faults of the
 * storage itself are `StorageError`s.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Position from "./Position.js"

/**
 * An append's expected version did not match the stream. `actual` is the stream's real current version.
 *
 * @since 0.1.0
 * @category errors
 */
export class WrongExpectedVersion extends Schema.TaggedError<WrongExpectedVersion>(
  "@chronicle/core/WrongExpectedVersion"
)("WrongExpectedVersion", {
  streamId: Schema.String,
  expected: Schema.String,
  actual: Schema.Number
}) {
  override get message(): string {
    return `Wrong expected version on stream ${JSON.stringify(this.streamId)}: expected ${this.expected}, actual ${this.actual}`
  }
}

/**
 * An event id that is already stored in the stream came with a different payload or in a different batch, so the
 * append is neither new nor a repeat of an earlier one.
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateEventId extends Schema.TaggedError<DuplicateEventId>("@chronicle/core/DuplicateEventId")(
  "DuplicateEventId",
  { streamId: Schema.String, eventId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Event id ${this.eventId} is already stored in stream ${JSON.stringify(this.streamId)}: ${this.reason}`
  }
}

/**
 * An event handed to the store is malformed (bad id, empty type, data that is not a JSON object, ...). Nothing of
 * its batch is written.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidEvent extends Schema.TaggedError<InvalidEvent>("@chronicle/core/InvalidEvent")("InvalidEvent", {
  streamId: Schema.String,
  index: Schema.Number,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid event #${this.index} for stream ${JSON.stringify(this.streamId)}: ${this.reason}`
  }
}

/**
 * A stored event could not be decoded: broken JSON, or data that no longer fits its schema. Such an event is never
 * skipped; the read fails with this error.
 *
 * @since 0.1.0
 * @category errors
 */
export class EventDecodeError extends Schema.TaggedError<EventDecodeError>("@chronicle/core/EventDecodeError")(
  "EventDecodeError",
  {
    streamId: Schema.String,
    version: Schema.Number,
    position: Position.FromString,
    type: Schema.String,
    reason: Schema.String
  }
) {
  override get message(): string {
    return `Cannot decode event ${this.type} at version ${this.version} of stream ${JSON.stringify(this.streamId)}: ${this.reason}`
  }
}

/**
 * An option or argument is out of its range (a negative or fractional version, a NaN count, an unknown direction,
 * an invalid date). Nothing is read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedError<InvalidArgument>("@chronicle/core/InvalidArgument")(
  "InvalidArgument",
  { argument: Schema.String, value: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Invalid ${this.argument} ${this.value}: ${this.reason}`
  }
}

/**
 * A conditional append found an event matching its condition's query after its position: nothing was written. Names
 * the first such event, so the caller can read from there and decide again.
 *
 * @since 0.1.0
 * @category errors
 */
export class AppendConditionFailed extends Schema.TaggedError<AppendConditionFailed>(
  "@chronicle/core/AppendConditionFailed"
)("AppendConditionFailed", {
  position: Position.FromString,
  eventId: Schema.String,
  type: Schema.String,
  streamId: Schema.String
}) {
  override get message(): string {
    return `Append condition failed: event ${this.eventId} (${this.type}) of stream ${JSON.stringify(this.streamId)} at position ${Position.format(this.position)} matches the condition's query`
  }
}
