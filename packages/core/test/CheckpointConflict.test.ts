import { CheckpointStore, Position } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"

describe("CheckpointConflict", () => {
  it("says which projection, where its checkpoint is and where the committer thought it was", () => {
    const conflict = new CheckpointStore.CheckpointConflict({
      name: "balances",
      expected: Position.parse("7")!,
      actual: Position.parse("12")!
    })
    assert.strictEqual(
      conflict.message,
      'Checkpoint of projection "balances" is at 12, not 7: another runner is committing'
    )
  })
})
