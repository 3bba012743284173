import { assert, describe, it } from "@effect/vitest"
import type { InvalidArgument, InvalidEvent } from "../src/EventStoreError.js"
import type { NewEvent } from "../src/RecordedEvent.js"
import { maxTagLength, maxTags, maxTypeLength, type PreparedEvent, prepare } from "../src/internal/validate.js"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Prepares a batch that must be valid. */
const valid = (events: ReadonlyArray<unknown>, recordedAt = 7): Array<PreparedEvent> => {
  const prepared = prepare("s-valid", events as ReadonlyArray<NewEvent>, recordedAt)
  if (!Array.isArray(prepared)) assert.fail(`rejected: ${prepared.message}`)
  return prepared
}

/** Prepares a batch that must be rejected, and returns the error. */
const rejected = (events: unknown): InvalidEvent | InvalidArgument => {
  const prepared = prepare("s-rejected", events as ReadonlyArray<NewEvent>, 0)
  if (Array.isArray(prepared)) assert.fail(`accepted: ${JSON.stringify(events)}`)
  return prepared
}

/** The reason a single event is rejected for, checking it is an `InvalidEvent` of its index. */
const reasonFor = (event: unknown, index = 0): string => {
  const error = rejected([...Array.from({ length: index }, () => ({ type: "T", data: {} })), event])
  assert.strictEqual(error._tag, "InvalidEvent")
  assert.strictEqual((error as InvalidEvent).index, index)
  assert.strictEqual((error as InvalidEvent).streamId, "s-rejected")
  return error.reason
}

describe("the validation of appended events", () => {
  it("a batch that is not an array is an InvalidArgument that shows what it was", () => {
    const shown = (events: unknown) => {
      const error = rejected(events)
      assert.strictEqual(error._tag, "InvalidArgument")
      assert.strictEqual((error as InvalidArgument).argument, "events")
      assert.match(error.reason, /must be an array of events/)
      return (error as InvalidArgument).value
    }
    assert.strictEqual(shown(null), "null")
    assert.strictEqual(shown(42), "42")
    assert.strictEqual(shown("x".repeat(100)), JSON.stringify("x".repeat(80)))
    assert.strictEqual(shown({ type: "T", data: {} }), "an object")
    assert.strictEqual(shown(undefined), "undefined")
  })

  it("types: a non-empty, well-formed string of at most maxTypeLength characters", () => {
    assert.strictEqual(valid([{ type: "T".repeat(maxTypeLength), data: {} }])[0]?.type, "T".repeat(maxTypeLength))
    for (const type of ["", "T".repeat(maxTypeLength + 1), 3, undefined]) {
      assert.match(reasonFor({ type, data: {} }), /the type must be a non-empty string of at most 256 characters/)
    }
    assert.match(reasonFor({ type: "a\uD800", data: {} }), /the type must be well-formed Unicode/)
    assert.match(reasonFor(null), /an event must be an object/)
    assert.match(reasonFor("T", 1), /an event must be an object/)
  })

  it("tags: up to maxTags distinct well-formed names of at most maxTagLength characters, kept in order", () => {
    const many = Array.from({ length: maxTags }, (_, i) => `${i}`.padEnd(maxTagLength, "x"))
    const input = [...many]
    const [event] = valid([{ type: "T", data: {}, tags: input }])
    input.reverse()
    assert.deepStrictEqual(event?.tags, many)
    assert.deepStrictEqual(valid([{ type: "T", data: {}, tags: [] }])[0]?.tags, [])
    assert.deepStrictEqual(valid([{ type: "T", data: {} }])[0]?.tags, [])
    for (const tags of [[...many, "one-more"], "a", { 0: "a" }]) {
      assert.match(reasonFor({ type: "T", data: {}, tags }), /the tags must be an array of at most 32 strings/)
    }
    for (const tag of ["", "x".repeat(maxTagLength + 1), 1, null]) {
      assert.match(
        reasonFor({ type: "T", data: {}, tags: ["ok", tag] }),
        /a tag must be a non-empty string of at most 256/
      )
    }
    assert.match(reasonFor({ type: "T", data: {}, tags: ["ok", "\uDC00"] }), /a tag must be well-formed Unicode/)
    assert.match(reasonFor({ type: "T", data: {}, tags: ["a", "b", "a"] }), /a tag appears twice on the event/)
  })

  it("data is a JSON object or array, metadata a JSON object; both serialized once", () => {
    const [object, array, withMetadata] = valid([
      { type: "T", data: { a: 1 } },
      { type: "T", data: [1, "b"] },
      { type: "T", data: {}, metadata: { user: "ann" } }
    ])
    assert.deepStrictEqual([object?.dataJson, object?.metadataJson, object?.metadata], ['{"a":1}', "{}", {}])
    assert.deepStrictEqual([array?.dataJson, array?.data], ['[1,"b"]', [1, "b"]])
    assert.deepStrictEqual([withMetadata?.metadataJson, withMetadata?.metadata], ['{"user":"ann"}', { user: "ann" }])
    // A function serializes as what its toJSON gives, but it is not data.
    const disguised = Object.assign(() => 1, { toJSON: () => ({}) })
    for (const data of ["text", 42, null, undefined, new Date(0), { toJSON: () => 1 }, disguised, () => 1]) {
      assert.match(reasonFor({ type: "T", data }), /the data must serialize to a JSON object or array/)
    }
    for (const metadata of [[], "m", { toJSON: () => [1] }, { toJSON: () => undefined }, disguised, () => 1]) {
      assert.match(reasonFor({ type: "T", data: {}, metadata }), /the metadata must serialize to a JSON object/)
    }
    const circular: Record<string, unknown> = {}
    circular.self = circular
    assert.match(reasonFor({ type: "T", data: circular }), /^the event is not JSON-serializable: .*circular/i)
    assert.match(
      reasonFor({ type: "T", data: {}, metadata: { n: 1n } }),
      /^the event is not JSON-serializable: .*BigInt/i
    )
    const thrown = {
      toJSON: () => {
        throw "refused"
      }
    }
    assert.strictEqual(reasonFor({ type: "T", data: thrown }), "the event is not JSON-serializable: refused")
  })

  it("ids: UUIDs (kept in lower case) on every event or on none, none repeated; others get a random one", () => {
    const upper = crypto.randomUUID().toUpperCase()
    const other = crypto.randomUUID()
    const given = valid([
      { id: upper, type: "T", data: {} },
      { id: other, type: "T", data: {} }
    ])
    assert.deepStrictEqual(
      given.map((e) => [e.id, e.idProvided]),
      [
        [upper.toLowerCase(), true],
        [other, true]
      ]
    )
    const generated = valid([
      { type: "T", data: {} },
      { type: "T", data: {} }
    ])
    const ids = generated.map((e) => e.id)
    assert.isTrue(generated.every((e, i) => !e.idProvided && uuid.test(e.id) && e.id === ids[i]))
    assert.notStrictEqual(generated[0]?.id, generated[1]?.id)
    const disguised = { toString: () => other }
    for (const id of ["not-a-uuid", 42, null, disguised, `${other}0`, `0${other}`]) {
      assert.match(reasonFor({ id, type: "T", data: {} }), /the id must be a UUID/)
    }
    const mixed = rejected([
      { type: "T", data: {} },
      { id: other, type: "T", data: {} }
    ])
    assert.match(mixed.reason, /either every event of a batch carries an id or none does/)
    assert.strictEqual((mixed as InvalidEvent).index, 1)
    const twice = rejected([
      { id: other, type: "T", data: {} },
      { id: upper, type: "T", data: {} },
      { id: other.toUpperCase(), type: "T", data: {} }
    ])
    assert.strictEqual(twice.reason, `the id ${other} appears twice in the batch`)
    assert.strictEqual((twice as InvalidEvent).index, 2)
  })

  it("every event of a batch is recorded at the batch's time, with its own fields", () => {
    const events = valid(
      [
        { type: "A", data: { n: 1 }, tags: ["t"] },
        { type: "B", data: { n: 2 } }
      ],
      1_700
    )
    assert.deepStrictEqual(
      events.map((e) => [e.type, e.data, e.tags, e.recordedAt]),
      [
        ["A", { n: 1 }, ["t"], 1_700],
        ["B", { n: 2 }, [], 1_700]
      ]
    )
    const id = crypto.randomUUID()
    const [withId] = valid([{ id, type: "C", data: { n: 3 }, metadata: { m: 1 }, tags: ["u"] }], 9)
    assert.deepStrictEqual(
      [
        withId?.type,
        withId?.data,
        withId?.metadata,
        withId?.tags,
        withId?.dataJson,
        withId?.metadataJson,
        withId?.recordedAt
      ],
      ["C", { n: 3 }, { m: 1 }, ["u"], '{"n":3}', '{"m":1}', 9]
    )
  })
})
