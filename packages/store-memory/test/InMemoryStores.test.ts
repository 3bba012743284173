import { InMemoryCheckpointStore, InMemoryEventStore, InMemorySnapshotStore } from "@chronicle/store-memory"
import { checkpointStoreSuite, projectionSuite, snapshotStoreSuite } from "@chronicle/testkit/vitest"
import { Layer } from "effect"

checkpointStoreSuite("in-memory", InMemoryCheckpointStore.layer)
snapshotStoreSuite("in-memory", InMemorySnapshotStore.layer)
projectionSuite(
  "in-memory",
  Layer.mergeAll(InMemoryEventStore.layer, InMemoryCheckpointStore.layer, InMemorySnapshotStore.layer)
)
