import { assert, describe, it } from "@effect/vitest"
import * as StateCache from "../src/internal/stateCache.js"

describe("the command handler's state cache", () => {
  it("keeps the most recently stored streams up to its capacity, per store", () => {
    const cache = StateCache.make<string>({ capacity: 2 })
    const [storeA, storeB] = [{}, {}]
    cache.set(storeA, "s1", { state: "one", version: 1 }, 0)
    cache.set(storeA, "s2", { state: "two", version: 1 }, 0)
    assert.deepStrictEqual(cache.get(storeA, "s1", 0), { state: "one", version: 1 })
    // A handler stores the state it used again (here at the same version): s1 is the most recent now.
    cache.set(storeA, "s1", { state: "one", version: 1 }, 0)
    cache.set(storeA, "s3", { state: "three", version: 1 }, 0)
    // s2 was the least recently used: it went.
    assert.isUndefined(cache.get(storeA, "s2", 0))
    assert.deepStrictEqual(cache.get(storeA, "s1", 0), { state: "one", version: 1 })
    assert.deepStrictEqual(cache.get(storeA, "s3", 0), { state: "three", version: 1 })
    // The same stream id in another store is another stream.
    assert.isUndefined(cache.get(storeB, "s1", 0))
    cache.delete(storeA, "s1")
    assert.isUndefined(cache.get(storeA, "s1", 0))
  })

  it("never lets an older version replace a newer one (it only makes the stream the most recent)", () => {
    const cache = StateCache.make<number>({ capacity: 2 })
    const store = {}
    cache.set(store, "s", { state: 50, version: 5 }, 0)
    cache.set(store, "t", { state: 1, version: 1 }, 0)
    cache.set(store, "s", { state: 30, version: 3 }, 0)
    assert.deepStrictEqual(cache.get(store, "s", 0), { state: 50, version: 5 })
    cache.set(store, "u", { state: 2, version: 1 }, 0)
    assert.isUndefined(cache.get(store, "t", 0))
    assert.deepStrictEqual(cache.get(store, "s", 0), { state: 50, version: 5 })
    cache.set(store, "s", { state: 60, version: 6 }, 0)
    assert.deepStrictEqual(cache.get(store, "s", 0), { state: 60, version: 6 })
  })

  it("forgets an entry older than its time to live, counted from when its version was stored", () => {
    const cache = StateCache.make<number>({ capacity: 10, timeToLiveMillis: 1_000 })
    const store = {}
    cache.set(store, "s", { state: 1, version: 1 }, 10_000)
    cache.set(store, "s", { state: 1, version: 1 }, 10_500)
    assert.deepStrictEqual(cache.get(store, "s", 11_000), { state: 1, version: 1 })
    assert.isUndefined(cache.get(store, "s", 11_001))
    cache.set(store, "s", { state: 2, version: 2 }, 11_002)
    assert.deepStrictEqual(cache.get(store, "s", 12_002), { state: 2, version: 2 })
  })
})
