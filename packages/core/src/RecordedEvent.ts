/**
 * The envelope of a stored event: where it sits, when it was recorded, and its payload.
 *
 * @since 0.1.0
 */
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
 * - `position`: the event's place in the whole store (global order); the first event stored has position 1.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedEvent<A = unknown> {
  readonly id: string
  readonly streamId: StreamId
  readonly version: number
  readonly position: number
  readonly type: string
  readonly data: A
  readonly metadata: EventMetadata
  readonly recordedAt: Date
}

/**
 * An event to append: its type, its JSON data and optional metadata. An `id` (a UUID) makes the append idempotent:
 * appending the same ids again returns the first result instead of writing twice.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewEvent {
  readonly id?: string
  readonly type: string
  readonly data: unknown
  readonly metadata?: EventMetadata
}

/**
 * A new event after validation, with its id assigned: what a storage engine writes.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedEvent {
  readonly id: string
  /** Whether the caller chose the id (only such ids can repeat, so only they need the idempotency check). */
  readonly idProvided: boolean
  readonly type: string
  readonly data: unknown
  readonly metadata: EventMetadata
  /** `data` as JSON text, serialized once by the store front so engines need not do it again. */
  readonly dataJson: string
  /** `metadata` as JSON text. */
  readonly metadataJson: string
}
