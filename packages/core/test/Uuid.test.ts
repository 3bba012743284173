import { assert, describe, it } from "@effect/vitest"
import { randomUuid } from "../src/internal/uuid.js"

const version4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("generated event ids", () => {
  it("are random version 4 UUIDs in lower case, distinct across many refills of the random pool", () => {
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const id = randomUuid()
      assert.match(id, version4)
      seen.add(id)
    }
    assert.strictEqual(seen.size, 20_000)
  })

  it("use every bit the version and variant leave random", () => {
    // Over many ids, each hex digit outside the fixed ones takes all 16 values, and the variant digit all four.
    const digits = Array.from({ length: 36 }, () => new Set<string>())
    for (let i = 0; i < 5_000; i++) {
      const id = randomUuid()
      for (let at = 0; at < 36; at++) digits[at]!.add(id[at]!)
    }
    for (let at = 0; at < 36; at++) {
      const expected = [8, 13, 18, 23].includes(at) ? 1 : at === 14 ? 1 : at === 19 ? 4 : 16
      assert.strictEqual(digits[at]!.size, expected, `digit ${at}`)
    }
  })
})
