import { Count } from "@chronicle/cli"
import { assert, describe, it } from "@effect/vitest"

describe("Count", () => {
  it("groups thousands and rounds to a whole number", () => {
    assert.strictEqual(Count.format(0), "0")
    assert.strictEqual(Count.format(999), "999")
    assert.strictEqual(Count.format(10_000), "10,000")
    assert.strictEqual(Count.format(19_608.4), "19,608")
    assert.strictEqual(Count.format(1_234_567), "1,234,567")
  })

  it("puts the noun in the singular for exactly one", () => {
    assert.strictEqual(Count.of(1, "event"), "1 event")
    assert.strictEqual(Count.of(0, "event"), "0 events")
    assert.strictEqual(Count.of(2, "event"), "2 events")
    assert.strictEqual(Count.of(10_001, "event"), "10,001 events")
    assert.strictEqual(Count.of(1, "new event"), "1 new event")
    assert.strictEqual(Count.of(3, "repetition", "repetitions"), "3 repetitions")
    assert.strictEqual(Count.of(2, "process", "processes"), "2 processes")
  })
})
