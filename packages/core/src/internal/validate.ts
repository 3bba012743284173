/**
 * Validation of what callers hand the store front: events (to prepared, serialized events) and options.
 *
 * @internal
 */
import { InvalidArgument, InvalidEvent } from "../EventStoreError.js"
import type { ExpectedVersion } from "../ExpectedVersion.js"
import type { NewEvent, PreparedEvent } from "../RecordedEvent.js"

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const emptyMetadata = Object.freeze({})

/** The longest event type accepted. */
export const maxTypeLength = 256

/**
 * Validates and serializes a batch: a type, JSON object or array data, JSON object metadata, and either a UUID for
 * every event or for none (a batch mixing caller ids with generated ones could never be repeated).
 */
export const prepare = (streamId: string, events: ReadonlyArray<NewEvent>): Array<PreparedEvent> | InvalidEvent => {
  const prepared: Array<PreparedEvent> = new Array(events.length)
  let ids: Set<string> | undefined
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!
    const invalid = (reason: string) => new InvalidEvent({ streamId, index, reason })
    if (typeof event !== "object" || event === null) return invalid("an event must be an object")
    if (typeof event.type !== "string" || event.type.length === 0 || event.type.length > maxTypeLength) {
      return invalid(`the type must be a non-empty string of at most ${maxTypeLength} characters`)
    }
    const metadata = event.metadata ?? emptyMetadata
    let dataJson: string | undefined
    let metadataJson: string | undefined
    try {
      dataJson = JSON.stringify(event.data)
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
    let id = event.id
    const idProvided = id !== undefined
    if (index > 0 && idProvided !== prepared[0]!.idProvided) {
      return invalid("either every event of a batch carries an id or none does")
    }
    if (idProvided) {
      if (typeof id !== "string" || !uuidPattern.test(id)) return invalid("the id must be a UUID")
      id = id.toLowerCase()
      ids ??= new Set()
      if (ids.has(id)) return invalid(`the id ${id} appears twice in the batch`)
      ids.add(id)
    } else {
      id = crypto.randomUUID()
    }
    prepared[index] = { id, idProvided, type: event.type, data: event.data, metadata, dataJson, metadataJson }
  }
  return prepared
}

const invalidCount = (argument: string, value: unknown, reason: string) =>
  new InvalidArgument({ argument, value: String(value), reason })

/** `undefined`, or a whole number from `min` up to `Number.MAX_SAFE_INTEGER`. */
export const checkCount = (argument: string, value: unknown, min = 0): InvalidArgument | undefined =>
  value === undefined || (Number.isSafeInteger(value) && (value as number) >= min)
    ? undefined
    : invalidCount(argument, value, `must be a whole number of at least ${min}`)

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
    checkCount("after", options.after) ??
    checkCount("pageSize", options.pageSize, 1)
  )
}

/** An exact expected version must be a whole number of at least 0. */
export const checkExpectedVersion = (expected: ExpectedVersion | undefined): InvalidArgument | undefined =>
  expected?._tag === "Exact" ? checkCount("expectedVersion", expected.version) : undefined
