import { Decider } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"

const decider = Decider.make<number, number, ReadonlyArray<number>>({
  initialState: [],
  decide: (command) => Either.right([command]),
  evolve: (state, event) => [...state, event]
})

describe("Decider.fold", () => {
  it("folds events left to right from the initial state or a given one", () => {
    assert.deepStrictEqual(Decider.fold(decider)([1, 2, 3]), [1, 2, 3])
    assert.deepStrictEqual(Decider.fold(decider)([3], [1, 2]), [1, 2, 3])
    assert.deepStrictEqual(Decider.fold(decider)([]), [])
  })
})
