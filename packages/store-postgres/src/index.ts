/**
 * @since 0.1.0
 */
export * as PostgresEventStore from "./PostgresEventStore.js"
export * as PostgresCheckpointStore from "./PostgresCheckpointStore.js"
export * as PostgresSnapshotStore from "./PostgresSnapshotStore.js"
export * as PostgresSchema from "./PostgresSchema.js"
