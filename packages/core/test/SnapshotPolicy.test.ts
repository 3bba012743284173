import { SnapshotStore } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"

/** The versions (1 to 20, appended `step` at a time) after which the policy takes a snapshot. */
const taken = (policy: SnapshotStore.Policy, step: number) => {
  const out: Array<number> = []
  for (let before = 0; before < 20; before += step) {
    if (policy({ before, after: before + step })) out.push(before + step)
  }
  return out
}

describe("SnapshotStore.every", () => {
  it("snapshots when an append crosses a multiple of n, once however many it crosses", () => {
    assert.deepStrictEqual(taken(SnapshotStore.every(5), 1), [5, 10, 15, 20])
    assert.deepStrictEqual(taken(SnapshotStore.every(5), 3), [6, 12, 15, 21])
    assert.deepStrictEqual(taken(SnapshotStore.every(2), 5), [5, 10, 15, 20])
    assert.deepStrictEqual(taken(SnapshotStore.every(1), 1).length, 20)
  })

  it("never snapshots for an n that is not positive", () => {
    for (const n of [0, -1, -5, Number.NaN]) {
      assert.deepStrictEqual([taken(SnapshotStore.every(n), 1), taken(SnapshotStore.every(n), 4)], [[], []], String(n))
    }
  })
})
