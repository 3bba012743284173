import { ExpectedVersion, Position } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import type { InvalidArgument } from "../src/EventStoreError.js"
import {
  checkCount,
  checkExpectedVersion,
  checkQuery,
  checkReadOptions,
  prepareImport
} from "../src/internal/validate.js"

/** The argument and reason of an error that must be there. */
const failure = (error: InvalidArgument | undefined): [string, string] => {
  if (error === undefined) assert.fail("accepted")
  assert.strictEqual(error._tag, "InvalidArgument")
  return [error.argument, error.reason]
}

describe("the validation of options and queries", () => {
  it("read options: known directions, whole numbers from 0 (page sizes from 1), positions", () => {
    for (const options of [
      undefined,
      {},
      { direction: "forward", from: 0, to: 0, maxCount: 0, pageSize: 1, after: Position.start },
      { direction: "backward", from: Number.MAX_SAFE_INTEGER }
    ]) {
      assert.isUndefined(checkReadOptions(options), JSON.stringify(options))
    }
    assert.deepStrictEqual(failure(checkReadOptions({ direction: "Forward" })), [
      "direction",
      'must be "forward" or "backward"'
    ])
    assert.deepStrictEqual(failure(checkReadOptions({ from: -1 })), ["from", "must be a whole number of at least 0"])
    assert.deepStrictEqual(failure(checkReadOptions({ to: 1.5 })), ["to", "must be a whole number of at least 0"])
    assert.deepStrictEqual(failure(checkReadOptions({ maxCount: "2" })), [
      "maxCount",
      "must be a whole number of at least 0"
    ])
    assert.deepStrictEqual(failure(checkReadOptions({ pageSize: 0 })), [
      "pageSize",
      "must be a whole number of at least 1"
    ])
    for (const after of [0, "0", { major: 0, minor: 0 }]) {
      assert.deepStrictEqual(failure(checkReadOptions({ after })), [
        "after",
        "must be a Position (decode text with Position.FromString)"
      ])
    }
    assert.strictEqual(checkCount("n", Number.MAX_SAFE_INTEGER + 1)?.value, String(Number.MAX_SAFE_INTEGER + 1))
    assert.isUndefined(checkCount("n", 5, 5))
    assert.deepStrictEqual(failure(checkCount("n", 4, 5)), ["n", "must be a whole number of at least 5"])
  })

  it("expected versions: one of the four kinds; an exact one a whole number from 0", () => {
    for (const expected of [
      undefined,
      ExpectedVersion.any,
      ExpectedVersion.noStream,
      ExpectedVersion.streamExists,
      ExpectedVersion.exact(0)
    ]) {
      assert.isUndefined(checkExpectedVersion(expected))
    }
    // A function is not an expected version, even one carrying a kind's tag.
    const disguised = Object.assign(() => 1, { _tag: "Any" })
    for (const expected of [null, "any", 3, { _tag: "Sometimes" }, {}, disguised]) {
      const [argument, reason] = failure(checkExpectedVersion(expected as never))
      assert.strictEqual(argument, "expectedVersion")
      assert.match(reason, /must be one of ExpectedVersion's any, noStream, streamExists or exact\(n\)/)
    }
    assert.deepStrictEqual(failure(checkExpectedVersion(ExpectedVersion.exact(-1))), [
      "expectedVersion",
      "must be a whole number of at least 0"
    ])
  })

  it("queries: items of optional arrays of valid types and tags", () => {
    for (const query of [{ items: [] }, { items: [{}, { types: ["A"] }, { tags: ["t"], types: ["B", "C"] }] }]) {
      assert.isUndefined(checkQuery("query", query))
    }
    const cases: ReadonlyArray<[unknown, string]> = [
      [null, "must be a Query (Query.items, Query.all)"],
      [undefined, "must be a Query (Query.items, Query.all)"],
      ["all", "must be a Query (Query.items, Query.all)"],
      [{ items: "A" }, "must be a Query (Query.items, Query.all)"],
      [{ items: [{}, null] }, "each item must be an object of types and tags"],
      [{ items: ["A"] }, "each item must be an object of types and tags"],
      [{ items: [{ types: "A" }] }, "types of an item must be an array"],
      [{ items: [{ types: ["A"], tags: "t" }] }, "tags of an item must be an array"],
      [{ items: [{ types: ["A", ""] }] }, "a type must be a non-empty string of at most 256 characters"],
      [{ items: [{ types: ["T".repeat(257)] }] }, "a type must be a non-empty string of at most 256 characters"],
      [{ items: [{ tags: ["ok", "x".repeat(257)] }] }, "a tag must be a non-empty string of at most 256 characters"],
      [{ items: [{ tags: ["\uD800"] }] }, "a tag must be well-formed Unicode (it has a lone surrogate)"]
    ]
    for (const [query, reason] of cases) {
      assert.deepStrictEqual(failure(checkQuery("condition", query)), ["condition", reason], JSON.stringify(query))
    }
    assert.strictEqual(checkQuery("query", { items: [1, 2] })?.value, "an object")
    assert.strictEqual(checkQuery("query", [1, 2])?.value, "an array of 2")
  })
})

describe("the validation of imports", () => {
  const event = (streamId: string, version: number, at = version) => ({
    streamId,
    version,
    id: crypto.randomUUID(),
    type: "T",
    data: { version },
    recordedAt: new Date(at)
  })

  it("splits the events into runs of one stream at consecutive versions, keeping each event's time", () => {
    const events = [event("a", 1), event("a", 2), event("b", 1), event("a", 3), event("a", 5), event("a", 6)]
    const runs = prepareImport(events)
    if (!Array.isArray(runs)) assert.fail(runs.message)
    assert.deepStrictEqual(
      runs.map((run) => [run.streamId as string, run.firstVersion, run.events.map((e) => [e.id, e.recordedAt])]),
      [
        [
          "a",
          1,
          [
            [events[0]!.id, 1],
            [events[1]!.id, 2]
          ]
        ],
        ["b", 1, [[events[2]!.id, 1]]],
        ["a", 3, [[events[3]!.id, 3]]],
        [
          "a",
          5,
          [
            [events[4]!.id, 5],
            [events[5]!.id, 6]
          ]
        ]
      ]
    )
    assert.deepStrictEqual(prepareImport([]), [])
  })

  it("rejects what an imported event lacks, naming the event's index in the whole import", () => {
    const invalid = (bad: unknown, index = 2) => {
      const error = prepareImport([event("a", 1), event("b", 4), bad] as never)
      if (Array.isArray(error)) assert.fail("accepted")
      assert.strictEqual(error._tag, "InvalidEvent")
      if (error._tag === "InvalidEvent") assert.strictEqual(error.index, index)
      return error as { readonly streamId?: string; readonly reason: string }
    }
    const notObject = invalid(null)
    assert.deepStrictEqual([notObject.streamId, notObject.reason], ["", "an event must be an object"])
    const { id: _, ...noId } = event("c", 1)
    assert.deepStrictEqual([invalid(noId).streamId, invalid(noId).reason], ["c", "an imported event must carry its id"])
    for (const version of [0, 1.5, "1", undefined]) {
      assert.strictEqual(
        invalid({ ...event("c", 1), version }).reason,
        "the version must be a whole number of at least 1"
      )
    }
    for (const recordedAt of [new Date(Number.NaN), 0, "2026-01-01"]) {
      assert.strictEqual(invalid({ ...event("c", 1), recordedAt }).reason, "recordedAt must be a valid Date")
    }
    // Checked as an append checks its events: the index counts from the start of the import, not of the run.
    assert.match(invalid({ ...event("b", 5), type: "" }).reason, /the type must be/)
    assert.match(invalid({ ...event("b", 5), id: "not-a-uuid" }).reason, /the id must be a UUID/)
    const badStream = prepareImport([event("", 1)])
    assert.strictEqual(Array.isArray(badStream) ? "accepted" : badStream._tag, "InvalidStreamId")
    assert.strictEqual(invalid("text").reason, "an event must be an object")
    const notArray = prepareImport({ length: 0 } as never)
    if (Array.isArray(notArray) || notArray._tag !== "InvalidArgument") assert.fail("not an InvalidArgument")
    assert.deepStrictEqual([notArray.argument, notArray.reason], ["events", "must be an array of events"])
  })
})
