import { Idempotency, type RecordedEvent } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"

const prepared = (id: string, by: number): RecordedEvent.PreparedEvent => ({
  id,
  idProvided: true,
  type: "Incremented",
  data: { by },
  metadata: {},
  dataJson: JSON.stringify({ by }),
  metadataJson: "{}"
})
const stored = (id: string, by: number, version: number) => ({
  id,
  version,
  position: version * 10,
  type: "Incremented",
  data: { by }
})

describe("Idempotency.resolve", () => {
  it("is fresh when no id is stored", () => {
    assert.deepStrictEqual(Idempotency.resolve("s", [prepared("a", 1)], []), Either.right({ _tag: "Fresh" }))
  })

  it("is a repeat with the original result when the whole batch is stored in order", () => {
    const outcome = Idempotency.resolve(
      "s",
      [prepared("a", 1), prepared("b", 2)],
      [stored("b", 2, 4), stored("a", 1, 3)]
    )
    assert.deepStrictEqual(outcome, Either.right({ _tag: "Repeat", version: 4, positions: [30, 40] }))
  })

  it("conflicts on another payload, a partial overlap or another order", () => {
    const tag = (o: ReturnType<typeof Idempotency.resolve>) => (Either.isLeft(o) ? o.left._tag : o.right._tag)
    assert.strictEqual(tag(Idempotency.resolve("s", [prepared("a", 9)], [stored("a", 1, 1)])), "DuplicateEventId")
    assert.strictEqual(
      tag(Idempotency.resolve("s", [prepared("a", 1), prepared("c", 3)], [stored("a", 1, 1)])),
      "DuplicateEventId"
    )
    assert.strictEqual(
      tag(Idempotency.resolve("s", [prepared("c", 3), prepared("a", 1)], [stored("a", 1, 1)])),
      "DuplicateEventId"
    )
    assert.strictEqual(
      tag(Idempotency.resolve("s", [prepared("b", 2), prepared("a", 1)], [stored("a", 1, 1), stored("b", 2, 2)])),
      "DuplicateEventId"
    )
  })

  it("compares JSON structurally", () => {
    assert.isTrue(Idempotency.jsonEquals({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }))
    assert.isFalse(Idempotency.jsonEquals({ a: 1 }, { a: 1, b: 2 }))
    assert.isFalse(Idempotency.jsonEquals([1, 2], { 0: 1, 1: 2 }))
  })
})
