/**
 * The idempotent-append rule, shared by every storage engine so that all of them answer a repeated batch alike.
 *
 * A batch whose caller-chosen ids are all stored already, in the same stream, in the same order, at consecutive
 * versions and with the same type and data (as JSON), is a repeat: the store answers with the first append's result and writes
 * nothing. Any other overlap with stored ids is a `DuplicateEventId`. Metadata is not compared.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { DuplicateEventId } from "./EventStoreError.js"
import type { PreparedEvent, RecordedEvent } from "./RecordedEvent.js"

/**
 * What the stored events say about a batch: a fresh batch to write, or a repeat with its original result.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | { readonly _tag: "Fresh" }
  | { readonly _tag: "Repeat"; readonly version: number; readonly positions: ReadonlyArray<number> }

const fresh: Outcome = { _tag: "Fresh" }

/**
 * Whether the batch carries caller-chosen ids (only then can it repeat an earlier one). Batches carry ids on every
 * event or on none, so the first event tells, and an id-less batch costs no scan.
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasProvidedIds = (events: ReadonlyArray<PreparedEvent>): boolean => events[0]?.idProvided === true

/**
 * Decides a batch's outcome from the events of its stream that carry any of the batch's ids.
 *
 * @since 0.1.0
 * @category combinators
 */
export const resolve = (
  streamId: string,
  batch: ReadonlyArray<PreparedEvent>,
  stored: ReadonlyArray<Pick<RecordedEvent, "id" | "version" | "position" | "type" | "data">>
): Either.Either<Outcome, DuplicateEventId> => {
  if (stored.length === 0) return Either.right(fresh)
  const byId = new Map(stored.map((e) => [e.id, e]))
  const conflict = (eventId: string, reason: string) => Either.left(new DuplicateEventId({ streamId, eventId, reason }))
  const first = byId.get(batch[0]!.id)
  if (first === undefined) {
    const repeated = batch.find((e) => byId.has(e.id))!
    return conflict(repeated.id, "the batch mixes new events with events stored before")
  }
  const positions: Array<number> = []
  for (let i = 0; i < batch.length; i++) {
    const event = batch[i]!
    const match = byId.get(event.id)
    if (match === undefined) return conflict(first.id, "the batch mixes new events with events stored before")
    if (match.version !== first.version + i) {
      return conflict(event.id, "the stored events with these ids are not in the batch's order")
    }
    if (match.type !== event.type || !jsonEquals(match.data, JSON.parse(event.dataJson))) {
      return conflict(event.id, "the same id was stored with a different payload")
    }
    positions.push(match.position)
  }
  return Either.right({ _tag: "Repeat", version: first.version + batch.length - 1, positions })
}

/**
 * Structural equality of JSON values (key order does not matter).
 *
 * @since 0.1.0
 * @category utils
 */
export const jsonEquals = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => jsonEquals(x, b[i]))
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (ka.length !== kb.length) return false
  return ka.every((k) => jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
