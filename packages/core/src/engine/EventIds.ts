/**
 * The ids a store gives events appended without one. The store front gives them random version 4 UUIDs; a store that
 * would rather not index every event's id (an index entry per event is one more b-tree written by every append) can
 * write ids that carry the event's stream version instead (`atVersion`), and find such an id again through the
 * `(stream, version)` lookup every append makes anyway (`versionOf`): a caller who re-appends an event it read,
 * generated id and all, is still answered as a repeat. The SQLite store does.
 *
 * @since 0.1.0
 */
import * as Uuid from "../internal/uuid.js"

/**
 * A random version 4 UUID, lower case: what the store front gives an event appended without an id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const random: () => string = Uuid.randomUuid

/**
 * The highest version `atVersion` can carry (13 hex digits); a store writes a random id, indexed like a chosen one,
 * for an event at a higher version.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxVersion: number = Uuid.maxNumber

/**
 * A new id for the event at `version` (at most `maxVersion`) of its stream: a version 8 UUID (RFC 9562's layout for
 * custom ids), `xxxxxxxx-xxxx-8xxx-yxxV-VVVVVVVVVVVV`, with the version in hex in its 23rd and last 12 digits and 70
 * random bits, lower case.
 *
 * @since 0.1.0
 * @category constructors
 */
export const atVersion: (version: number) => string = Uuid.uuidWithNumber

/**
 * The version an id would be stored at if a store had generated it with `atVersion`, else `undefined`. A caller may
 * choose an id of that shape too: a store looks it up at that version and matches it only if the event there has it.
 *
 * @since 0.1.0
 * @category lookups
 */
export const versionOf = (id: string): number | undefined => {
  const version = Uuid.numberOf(id)
  return version === undefined || version < 1 ? undefined : version
}
