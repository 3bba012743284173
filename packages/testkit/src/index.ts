/**
 * @since 0.1.0
 */
export * from "./CheckpointStoreSuite.js"
export * as DeciderLaws from "./DeciderLaws.js"
export * as DeciderSpec from "./DeciderSpec.js"
export * from "./EventStoreSuite.js"
export * from "./ProjectionSuite.js"
export * from "./SnapshotStoreSuite.js"
