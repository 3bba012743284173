/**
 * @since 0.1.0
 */
import "./internal/effectVersion.js"

export * as CheckpointStore from "./CheckpointStore.js"
export * as CommandHandler from "./CommandHandler.js"
export * as Decider from "./Decider.js"
export * as DecisionModel from "./DecisionModel.js"
export * as EventCodec from "./EventCodec.js"
export * as EventStore from "./EventStore.js"
export * as EventStoreError from "./EventStoreError.js"
export * as ExpectedVersion from "./ExpectedVersion.js"
export * as Position from "./Position.js"
export * as Projection from "./Projection.js"
export * as Query from "./Query.js"
export * as ProjectionRunner from "./ProjectionRunner.js"
export * as RecordedEvent from "./RecordedEvent.js"
export * as SnapshotStore from "./SnapshotStore.js"
export * as StorageError from "./StorageError.js"
export * as StoreAdmin from "./StoreAdmin.js"
export * as StreamId from "./StreamId.js"
