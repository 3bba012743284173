import { Position, type StreamId } from "@chronicle/core"
import { PositionEncoding } from "@chronicle/core/engine"
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { EventRows, type SqlDialect } from "../src/index.js"

/** Two position columns, as a database numbering events by (transaction id, sequence) stores them. */
const pairs: SqlDialect.PositionColumns = {
  width: 2,
  decode: (row, at) => PositionEncoding.fromPair(Number(row[at]), Number(row[at + 1]))
}

const row = (overrides: Partial<Record<number, unknown>> = {}) => {
  const values: Array<unknown> = [
    2,
    "id-1",
    "Noted",
    '{"n":1}',
    '{"user":"ada"}',
    1_700_000_000_000,
    null,
    "7781",
    "42"
  ]
  for (const [index, value] of Object.entries(overrides)) values[Number(index)] = value
  return values
}

describe("EventRows", () => {
  it("decodes event rows with the dialect's position columns, numbers in any driver's form", () => {
    const streamId = "s-1" as StreamId.StreamId
    const decoded = EventRows.decode(
      [row(), row({ 0: 3n, 5: "1700000000001", 6: '["a:1","b"]', 8: 43n })],
      streamId,
      pairs
    )
    assert.isTrue(Either.isRight(decoded))
    if (Either.isRight(decoded)) {
      const [first, second] = decoded.right
      assert.deepStrictEqual(first, {
        id: "id-1",
        streamId,
        version: 2,
        position: PositionEncoding.fromPair(7781, 42),
        type: "Noted",
        data: { n: 1 },
        metadata: { user: "ada" },
        tags: [],
        recordedAt: new Date(1_700_000_000_000)
      })
      assert.strictEqual(second!.version, 3)
      assert.deepStrictEqual(second!.tags, ["a:1", "b"])
      assert.strictEqual(Position.format(second!.position), "7781:43")
      assert.strictEqual(second!.recordedAt.getTime(), 1_700_000_000_001)
    }
    const all = EventRows.decode([[...row(), "s-2"]], undefined, pairs)
    assert.isTrue(Either.isRight(all) && all.right[0]!.streamId === "s-2")
  })

  it("a row with broken data or metadata fails the page with EventDecodeError naming it", () => {
    for (const [overrides, reason] of [
      [{ 3: '{"n":' }, "data"],
      [{ 4: "[1]" }, "metadata"],
      [{ 4: "null" }, "metadata"]
    ] as const) {
      const decoded = EventRows.decode([row(), row(overrides)], "s-1" as StreamId.StreamId, pairs)
      assert.isTrue(Either.isLeft(decoded))
      if (Either.isLeft(decoded)) {
        assert.strictEqual(decoded.left._tag, "EventDecodeError")
        assert.strictEqual(Position.format(decoded.left.position), "7781:42")
        assert.include(decoded.left.reason, reason)
      }
    }
  })

  it("reads versions, inserted positions, stored ids and the head", () => {
    assert.strictEqual(EventRows.version([]), 0)
    assert.strictEqual(EventRows.version([[null]]), 0)
    assert.strictEqual(EventRows.version([["12"]]), 12)
    const positions = EventRows.insertedPositions(
      [
        [12, "9", "2"],
        [11, "9", "1"]
      ],
      10,
      pairs
    )
    assert.deepStrictEqual(positions.map(Position.format), ["9:1", "9:2"])
    const stored = EventRows.storedEvents([["id-1", 4, "Noted", '{"a":1}', "9", "3"]], pairs)
    assert.deepStrictEqual(stored, [
      { id: "id-1", version: 4, type: "Noted", data: { a: 1 }, position: PositionEncoding.fromPair(9, 3) }
    ])
    assert.deepStrictEqual(EventRows.head([], pairs), Position.start)
    assert.strictEqual(Position.format(EventRows.head([["9", "3"]], pairs)), "9:3")
  })
})
