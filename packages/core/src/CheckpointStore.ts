/**
 * Where projections keep their checkpoints: the global position of the last event each has applied. A checkpoint is
 * committed together with the read-model update it covers, so a crash neither applies an event twice nor skips one.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { EventStoreError } from "./EventStoreError.js"

/**
 * The checkpoint store.
 *
 * @since 0.1.0
 * @category tags
 */
export class CheckpointStore extends Context.Tag("@chronicle/core/CheckpointStore")<
  CheckpointStore,
  {
    /** The stored checkpoint of a projection; 0 when it has none (read from the start). */
    readonly load: (name: string) => Effect.Effect<number, EventStoreError>
    /**
     * Runs `update` (the read-model change for events up to `position`) and stores `position` as the checkpoint,
     * atomically: both or neither. A store backed by a database runs both in one transaction, so `update` must use
     * the same database to share it.
     */
    readonly commit: <A, E, R>(
      name: string,
      position: number,
      update: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | EventStoreError, R>
  }
>() {}
