/**
 * @since 0.1.0
 */
export * as SqliteEventStore from "./SqliteEventStore.js"
export * as SqliteCheckpointStore from "./SqliteCheckpointStore.js"
export * as SqliteSnapshotStore from "./SqliteSnapshotStore.js"
export * as SqliteSchema from "./SqliteSchema.js"
