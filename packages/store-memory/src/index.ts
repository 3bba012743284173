/**
 * @since 0.1.0
 */
export * as InMemoryCheckpointStore from "./InMemoryCheckpointStore.js"
export * as InMemoryEventStore from "./InMemoryEventStore.js"
export * as InMemorySnapshotStore from "./InMemorySnapshotStore.js"
