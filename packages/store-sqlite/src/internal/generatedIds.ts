/**
 * The ids the SQLite store writes for events appended without one. Event ids are unique within a stream and a batch
 * that repeats stored ids is answered as a repeat, so the store must find stored events by id — but an index entry per
 * event is a third b-tree written by every append: one more page per commit, about a third of what a one-event append
 * costs. So only ids that callers chose are indexed (a partial unique index on `(stream_id, event_id)`), and an id the
 * store generates carries the stream version of its event: found through the `(stream_id, version)` index that every
 * append uses anyway, it needs no index of its own. A caller who re-appends an event it read, generated id and all,
 * is still answered as a repeat.
 *
 * The store front gives such an event a random version 4 UUID; the store writes it as a version 8 UUID (RFC 9562's
 * layout for custom ids) that keeps 70 of those random bits and holds the version in hex in its 23rd and last 12
 * digits: `xxxxxxxx-xxxx-8xxx-yxxV-VVVVVVVVVVVV`. A version that does not fit in those 13 digits (2^52 and more) keeps
 * the random id, indexed like a chosen one.
 *
 * @since 0.1.0
 * @internal
 */

/**
 * The highest version a generated id can carry.
 *
 * @since 0.1.0
 * @internal
 */
export const maxVersion = 16 ** 13 - 1

/**
 * The id to write for an event the front gave the random UUID `id`, at `version`; `undefined` when the version does
 * not fit (then the random id is written as it is, and indexed).
 *
 * @since 0.1.0
 * @internal
 */
export const atVersion = (id: string, version: number): string | undefined => {
  if (version > maxVersion) return undefined
  const digits = version.toString(16).padStart(13, "0")
  return `${id.slice(0, 14)}8${id.slice(15, 22)}${digits[0]}-${digits.slice(1)}`
}

const variants = new Set(["8", "9", "a", "b"])

/**
 * The version an id would be stored at if this store had generated it (a lower-case UUID in the layout above), else
 * `undefined`. Any caller-chosen id of that shape is looked up there too; only a stored generated id matches.
 *
 * @since 0.1.0
 * @internal
 */
export const versionOf = (id: string): number | undefined => {
  if (id.length !== 36 || id[14] !== "8" || !variants.has(id[19]!)) return undefined
  const version = Number.parseInt(`${id[22]}${id.slice(24)}`, 16)
  return version >= 1 ? version : undefined
}
