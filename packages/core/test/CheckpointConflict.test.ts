import { CheckpointStore, Position } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"

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

  it("is a schema of its own name that encodes positions as text", () => {
    const conflict = new CheckpointStore.CheckpointConflict({
      name: "balances",
      expected: Position.parse("7")!,
      actual: Position.parse("3:12")!
    })
    assert.deepStrictEqual(Schema.encodeSync(CheckpointStore.CheckpointConflict)(conflict), {
      _tag: "CheckpointConflict",
      name: "balances",
      expected: "7",
      actual: "3:12"
    })
    assert.include(String(CheckpointStore.CheckpointConflict), "@chronicle/core/CheckpointConflict")
  })
})
