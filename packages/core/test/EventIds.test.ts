import { EventIds } from "@chronicle/core/engine"
import { assert, describe, it } from "@effect/vitest"

const version4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const version8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** How many distinct digits each of the 36 places takes over many ids. */
const digitsSeen = (make: () => string) => {
  const digits = Array.from({ length: 36 }, () => new Set<string>())
  for (let i = 0; i < 5_000; i++) {
    const id = make()
    for (let at = 0; at < 36; at++) digits[at]!.add(id[at]!)
  }
  return digits.map((seen) => seen.size)
}

describe("EventIds", () => {
  it("random: version 4 UUIDs in lower case, distinct across many refills of the random pool", () => {
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const id = EventIds.random()
      assert.match(id, version4)
      seen.add(id)
    }
    assert.strictEqual(seen.size, 20_000)
    // Every digit but the dashes, the version and the variant is random.
    assert.deepStrictEqual(
      digitsSeen(EventIds.random),
      Array.from({ length: 36 }, (_, at) => ([8, 13, 18, 23].includes(at) || at === 14 ? 1 : at === 19 ? 4 : 16))
    )
  })

  it("atVersion: version 8 UUIDs that carry the version, read back exactly; random elsewhere", () => {
    for (const version of [1, 9, 15, 16, 255, 4096, 123_456_789, 2 ** 40 + 7, EventIds.maxVersion]) {
      const id = EventIds.atVersion(version)
      assert.match(id, version8)
      assert.strictEqual(EventIds.versionOf(id), version)
    }
    assert.match(EventIds.atVersion(10), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{2}0-00000000000a$/)
    assert.strictEqual(EventIds.maxVersion, 2 ** 52 - 1)
    // The first 22 places but the version and variant are random; the version's 13 digits are fixed.
    const seen = digitsSeen(() => EventIds.atVersion(42))
    assert.deepStrictEqual(
      seen.slice(0, 22),
      Array.from({ length: 22 }, (_, at) => ([8, 13, 18].includes(at) || at === 14 ? 1 : at === 19 ? 4 : 16))
    )
    assert.deepStrictEqual(
      seen.slice(22),
      Array.from({ length: 14 }, () => 1)
    )
  })

  it("versionOf reads no version from other ids", () => {
    assert.isUndefined(EventIds.versionOf(EventIds.random()))
    assert.isUndefined(EventIds.versionOf("0f1e2d3c-4b5a-8968-c7a0-00000000000a"))
    assert.isUndefined(EventIds.versionOf("0f1e2d3c-4b5a-8968-b7a0-000000000000"))
    assert.isUndefined(EventIds.versionOf("0f1e2d3c-4b5a-8968-b7a0x00000000000a"))
    assert.isUndefined(EventIds.versionOf("not-an-id"))
    assert.strictEqual(EventIds.versionOf("0f1e2d3c-4b5a-8968-b7a0-00000000000a"), 10)
  })
})
