import { assert, describe, it } from "@effect/vitest"
import * as GeneratedIds from "../src/internal/generatedIds.js"

const version8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const random = "0f1e2d3c-4b5a-4968-b7a6-958473625140"

describe("the ids the SQLite store generates", () => {
  it("are version 8 UUIDs that keep the random digits and carry the version, read back exactly", () => {
    for (const version of [1, 9, 15, 16, 255, 4096, 123_456_789, 2 ** 40 + 7, GeneratedIds.maxVersion]) {
      const id = GeneratedIds.atVersion(random, version)!
      assert.match(id, version8)
      assert.strictEqual(id.slice(0, 14), random.slice(0, 14))
      assert.strictEqual(id.slice(15, 22), random.slice(15, 22))
      assert.strictEqual(GeneratedIds.versionOf(id), version)
    }
    assert.strictEqual(GeneratedIds.atVersion(random, 10), "0f1e2d3c-4b5a-8968-b7a0-00000000000a")
  })

  it("leave versions beyond 13 hex digits to the random id, and read no version from other ids", () => {
    assert.isUndefined(GeneratedIds.atVersion(random, GeneratedIds.maxVersion + 1))
    assert.isUndefined(GeneratedIds.versionOf(random))
    assert.isUndefined(GeneratedIds.versionOf("0f1e2d3c-4b5a-8968-c7a0-00000000000a"))
    assert.isUndefined(GeneratedIds.versionOf("0f1e2d3c-4b5a-8968-b7a0-000000000000"))
    assert.isUndefined(GeneratedIds.versionOf("not-an-id"))
  })
})
