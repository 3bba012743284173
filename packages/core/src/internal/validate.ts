/**
 * Validation of what callers hand the store front: events (to prepared, serialized events) and options.
 *
 * @internal
 */
import { Either } from "effect"
import { InvalidArgument, InvalidEvent } from "../EventStoreError.js"
import type { ExpectedVersion } from "../ExpectedVersion.js"
import { isPosition } from "./position.js"
import { isWellFormed } from "./unicode.js"
import { randomUuid } from "./uuid.js"
import type { EventMetadata, NewEvent } from "../RecordedEvent.js"
import { type InvalidStreamId, type StreamId, validate as validateStreamId } from "../StreamId.js"

/** A new event after validation, with its id assigned: what a storage engine writes. */
export interface PreparedEvent {
  /** The caller's id, or a random one the front generates (drawn when first read). */
  readonly id: string
  /** Whether the caller chose the id (only such ids can repeat, so only they need the idempotency check). */
  readonly idProvided: boolean
  readonly type: string
  readonly data: unknown
  readonly metadata: EventMetadata
  /** The event's tags (validated, none repeated; empty when it has none). */
  readonly tags: ReadonlyArray<string>
  /** `data` as JSON text, serialized once by the store front so engines need not do it again. */
  readonly dataJson: string
  /** `metadata` as JSON text. */
  readonly metadataJson: string
  /** When the event is recorded, in epoch milliseconds: from Effect's `Clock` on an append (one time for a batch). */
  readonly recordedAt: number
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const emptyMetadata = Object.freeze({})

/** The longest event type accepted. */
export const maxTypeLength = 256

/** The longest tag accepted. */
export const maxTagLength = 256

/** The most tags one event may carry. */
export const maxTags = 32

/** Tags shared by every event that has none. */
export const noTags: ReadonlyArray<string> = Object.freeze([])

/** A non-empty, well-formed string of at most `max` characters, or why it is not one. */
const badName = (value: unknown, what: string, max: number): string | undefined =>
  typeof value !== "string" || value.length === 0 || value.length > max
    ? `${what} must be a non-empty string of at most ${max} characters`
    : isWellFormed(value)
      ? undefined
      : `${what} must be well-formed Unicode (it has a lone surrogate)`

/** An event's tags, validated: an array of at most `maxTags` distinct names, or why it is not. */
const checkTags = (tags: unknown): ReadonlyArray<string> | string => {
  if (tags === undefined) return noTags
  if (!Array.isArray(tags) || tags.length > maxTags) return `the tags must be an array of at most ${maxTags} strings`
  // Stryker disable next-line ConditionalExpression: the shared empty array, or a fresh empty one: the same tags.
  if (tags.length === 0) return noTags
  for (const tag of tags) {
    const bad = badName(tag, "a tag", maxTagLength)
    if (bad !== undefined) return bad
  }
  if (new Set(tags).size !== tags.length) return "a tag appears twice on the event"
  return Object.freeze([...tags]) as ReadonlyArray<string>
}

/** A query's items: arrays of valid types and tags; `undefined` when it is one, else why not. */
export const checkQuery = (argument: string, query: unknown): InvalidArgument | undefined => {
  const invalid = (reason: string) => new InvalidArgument({ argument, value: describe(query), reason })
  if (typeof query !== "object" || query === null || !Array.isArray((query as { items?: unknown }).items)) {
    return invalid("must be a Query (Query.items, Query.all)")
  }
  for (const item of (query as { items: ReadonlyArray<unknown> }).items) {
    if (typeof item !== "object" || item === null) return invalid("each item must be an object of types and tags")
    const { tags, types } = item as { types?: unknown; tags?: unknown }
    for (const [names, what, max] of [
      [types, "a type", maxTypeLength],
      [tags, "a tag", maxTagLength]
    ] as const) {
      if (names === undefined) continue
      if (!Array.isArray(names)) return invalid(`${what.slice(2)}s of an item must be an array`)
      for (const name of names) {
        const bad = badName(name, what, max)
        if (bad !== undefined) return invalid(bad)
      }
    }
  }
  return undefined
}

/**
 * Validates and serializes a batch: a type, JSON object or array data, JSON object metadata, and either a UUID for
 * every event or for none (a batch mixing caller ids with generated ones could never be repeated).
 */
export const prepare = (
  streamId: string,
  events: ReadonlyArray<NewEvent>,
  recordedAt: number
): Array<PreparedEvent> | InvalidEvent | InvalidArgument => {
  if (!Array.isArray(events)) {
    return new InvalidArgument({ argument: "events", value: describe(events), reason: "must be an array of events" })
  }
  // Stryker disable next-line ArrayDeclaration: sized up front for speed; every index is written before it is read.
  const prepared: Array<PreparedEvent> = new Array(events.length)
  let ids: Set<string> | undefined
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!
    const invalid = (reason: string) => new InvalidEvent({ streamId, index, reason })
    if (typeof event !== "object" || event === null) return invalid("an event must be an object")
    if (typeof event.type !== "string" || event.type.length === 0 || event.type.length > maxTypeLength) {
      return invalid(`the type must be a non-empty string of at most ${maxTypeLength} characters`)
    }
    if (!isWellFormed(event.type)) return invalid("the type must be well-formed Unicode (it has a lone surrogate)")
    const tags = checkTags(event.tags)
    if (typeof tags === "string") return invalid(tags)
    const metadata = event.metadata ?? emptyMetadata
    let dataJson: string | undefined
    let metadataJson: string | undefined
    try {
      dataJson = JSON.stringify(event.data)
      // Stryker disable next-line ConditionalExpression: a shortcut: JSON.stringify of the empty metadata is "{}" too.
      metadataJson = metadata === emptyMetadata ? "{}" : JSON.stringify(metadata)
    } catch (error) {
      return invalid(`the event is not JSON-serializable: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (typeof event.data !== "object" || dataJson === undefined || (dataJson[0] !== "{" && dataJson[0] !== "[")) {
      return invalid("the data must serialize to a JSON object or array")
    }
    if (typeof metadata !== "object" || metadataJson === undefined || metadataJson[0] !== "{") {
      return invalid("the metadata must serialize to a JSON object")
    }
    const id = event.id
    const idProvided = id !== undefined
    if (index > 0 && idProvided !== prepared[0]!.idProvided) {
      return invalid("either every event of a batch carries an id or none does")
    }
    if (!idProvided) {
      prepared[index] = new Generated(event.type, event.data, metadata, tags, dataJson, metadataJson, recordedAt)
      continue
    }
    if (typeof id !== "string" || !uuidPattern.test(id)) return invalid("the id must be a UUID")
    const lower = id.toLowerCase()
    ids ??= new Set()
    if (ids.has(lower)) return invalid(`the id ${lower} appears twice in the batch`)
    ids.add(lower)
    prepared[index] = {
      id: lower,
      idProvided,
      type: event.type,
      data: event.data,
      metadata,
      tags,
      dataJson,
      metadataJson,
      recordedAt
    }
  }
  return prepared
}

/** The events of one stream an import writes: consecutive versions from `firstVersion`, each with its own time. */
export interface ImportRun {
  readonly streamId: StreamId
  readonly firstVersion: number
  readonly events: ReadonlyArray<PreparedEvent>
}

/** What an imported event must carry beside a new event's fields. */
interface Imported extends NewEvent {
  readonly streamId: string
  readonly version: number
  readonly recordedAt: Date
}

/**
 * Validates an import and splits it into runs: the longest stretches of one stream at consecutive versions, in the
 * order given. Each event is validated as `append` validates it (`prepare`), and must also carry a UUID, a version
 * (a whole number of at least 1) and a valid `recordedAt`, which it keeps.
 */
export const prepareImport = (
  events: ReadonlyArray<Imported>
): Array<ImportRun> | InvalidEvent | InvalidArgument | InvalidStreamId => {
  if (!Array.isArray(events)) {
    return new InvalidArgument({ argument: "events", value: describe(events), reason: "must be an array of events" })
  }
  const runs: Array<{ streamId: StreamId; firstVersion: number; events: Array<Imported> }> = []
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!
    const invalid = (streamId: string, reason: string) => new InvalidEvent({ streamId, index, reason })
    if (typeof event !== "object" || event === null) return invalid("", "an event must be an object")
    const streamId = validateStreamId(event.streamId)
    if (Either.isLeft(streamId)) return streamId.left
    if (typeof event.id !== "string") return invalid(streamId.right, "an imported event must carry its id")
    if (!Number.isSafeInteger(event.version) || event.version < 1) {
      return invalid(streamId.right, "the version must be a whole number of at least 1")
    }
    if (!(event.recordedAt instanceof Date) || Number.isNaN(event.recordedAt.getTime())) {
      return invalid(streamId.right, "recordedAt must be a valid Date")
    }
    const last = runs[runs.length - 1]
    if (
      last !== undefined &&
      last.streamId === streamId.right &&
      last.firstVersion + last.events.length === event.version
    ) {
      last.events.push(event)
    } else {
      runs.push({ streamId: streamId.right, firstVersion: event.version, events: [event] })
    }
  }
  // Stryker disable next-line ArrayDeclaration: sized up front for speed; every index is written before it is read.
  const prepared: Array<ImportRun> = new Array(runs.length)
  let offset = 0
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!
    const batch = prepare(run.streamId, run.events, 0)
    if (!Array.isArray(batch)) {
      return batch._tag === "InvalidEvent" ? new InvalidEvent({ ...batch, index: offset + batch.index }) : batch
    }
    for (let i = 0; i < batch.length; i++) {
      batch[i] = { ...batch[i]!, recordedAt: run.events[i]!.recordedAt.getTime() }
    }
    prepared[r] = { streamId: run.streamId, firstVersion: run.firstVersion, events: batch }
    offset += batch.length
  }
  return prepared
}

/**
 * An event appended without an id: its random id is drawn when an engine first reads it, so an engine that writes
 * ids of its own for such events (`EventIds.atVersion`) draws none.
 */
class Generated implements PreparedEvent {
  readonly idProvided = false
  #id: string | undefined = undefined
  constructor(
    readonly type: string,
    readonly data: unknown,
    readonly metadata: EventMetadata,
    readonly tags: ReadonlyArray<string>,
    readonly dataJson: string,
    readonly metadataJson: string,
    readonly recordedAt: number
  ) {}
  get id(): string {
    this.#id ??= randomUuid()
    return this.#id
  }
}

/** A short printable form of any value, for error messages. */
const describe = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 80))
  if (typeof value !== "object" || value === null) return String(value)
  return Array.isArray(value) ? `an array of ${value.length}` : "an object"
}

const invalidCount = (argument: string, value: unknown, reason: string) =>
  new InvalidArgument({ argument, value: describe(value), reason })

/** `undefined`, or a whole number from `min` up to `Number.MAX_SAFE_INTEGER`. */
export const checkCount = (argument: string, value: unknown, min = 0): InvalidArgument | undefined =>
  value === undefined || (Number.isSafeInteger(value) && (value as number) >= min)
    ? undefined
    : invalidCount(argument, value, `must be a whole number of at least ${min}`)

/** `undefined`, or a `Position` (a number or text is not one: decode text with `Position.FromString`). */
export const checkPosition = (argument: string, value: unknown): InvalidArgument | undefined =>
  value === undefined || isPosition(value)
    ? undefined
    : invalidCount(argument, value, "must be a Position (decode text with Position.FromString)")

/** Checks read options: counts, positions and versions are whole numbers; the direction is known. */
export const checkReadOptions = (
  options: {
    readonly direction?: unknown
    readonly from?: unknown
    readonly to?: unknown
    readonly maxCount?: unknown
    readonly pageSize?: unknown
    readonly after?: unknown
  } = {}
): InvalidArgument | undefined => {
  if (options.direction !== undefined && options.direction !== "forward" && options.direction !== "backward") {
    return invalidCount("direction", options.direction, 'must be "forward" or "backward"')
  }
  return (
    checkCount("from", options.from) ??
    checkCount("to", options.to) ??
    checkCount("maxCount", options.maxCount) ??
    checkPosition("after", options.after) ??
    checkCount("pageSize", options.pageSize, 1)
  )
}

const expectations: ReadonlySet<unknown> = new Set(["Any", "NoStream", "StreamExists", "Exact"])

/** An expected version must be one of the four kinds; an exact one a whole number of at least 0. */
export const checkExpectedVersion = (expected: ExpectedVersion | undefined): InvalidArgument | undefined => {
  if (expected === undefined) return undefined
  if (typeof expected !== "object" || expected === null || !expectations.has(expected._tag)) {
    return invalidCount(
      "expectedVersion",
      expected,
      "must be one of ExpectedVersion's any, noStream, streamExists or exact(n)"
    )
  }
  return expected._tag === "Exact" ? checkCount("expectedVersion", expected.version) : undefined
}
