/**
 * The envelope of a stored event: where it sits, when it was recorded, and its payload.
 *
 * @since 0.1.0
 */
import type { Position } from "./Position.js"
import type { StreamId } from "./StreamId.js"

/**
 * Metadata carried beside an event's data: correlation and causation ids plus any user fields (JSON values).
 *
 * @since 0.1.0
 * @category models
 */
export interface EventMetadata {
  readonly correlationId?: string
  readonly causationId?: string
  readonly [key: string]: unknown
}

/**
 * An event as a store returns it. `A` is the data: raw JSON (`unknown`) from a store, a domain event once decoded.
 *
 * - `version`: the event's place in its stream; the first event of a stream has version 1.
 * - `position`: the event's place in the whole store (global order), an opaque `Position`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedEvent<A = unknown> {
  readonly id: string
  readonly streamId: StreamId
  readonly version: number
  readonly position: Position
  readonly type: string
  readonly data: A
  readonly metadata: EventMetadata
  /** The event's tags (`account:ACC-1`), which queries select by; empty when it has none. */
  readonly tags: ReadonlyArray<string>
  readonly recordedAt: Date
}

/**
 * An event to append: its type, its JSON data and optional metadata. An `id` (a UUID) makes the append idempotent:
 * appending the same ids again returns the first result instead of writing twice. `tags` (at most 32 distinct,
 * non-empty strings of at most 256 characters) make the event findable by `Query` beyond its stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewEvent {
  readonly id?: string
  readonly type: string
  readonly data: unknown
  readonly metadata?: EventMetadata
  readonly tags?: ReadonlyArray<string>
}
