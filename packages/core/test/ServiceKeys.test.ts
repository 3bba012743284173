import { CheckpointStore, EventStore, SnapshotStore } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"

describe("core's services", () => {
  it("are keyed by package-qualified names, so two copies of the package provide the same services", () => {
    assert.deepStrictEqual(
      [EventStore.EventStore.key, SnapshotStore.SnapshotStore.key, CheckpointStore.CheckpointStore.key],
      ["@chronicle/core/EventStore", "@chronicle/core/SnapshotStore", "@chronicle/core/CheckpointStore"]
    )
  })
})
