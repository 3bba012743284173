/**
 * The in-memory checkpoint store. `commit` checks the checkpoint is where the committer saw it, runs the update, and
 * stores the new checkpoint only once the update succeeded, holding the projection's lock throughout: of two
 * concurrent commits from the same position, one wins and the other fails with `CheckpointConflict` without running
 * its update. (Checkpoints in memory suit read models in memory, which start afresh with the process anyway.)
 *
 * @since 0.1.0
 */
import { CheckpointStore } from "@chronicle/core"
import { type Effect, Layer } from "effect"

/**
 * A fresh, empty in-memory `CheckpointStore`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CheckpointStore.CheckpointStore["Type"]> = CheckpointStore.makeInMemory()

/**
 * A Layer providing a fresh, empty in-memory `CheckpointStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CheckpointStore.CheckpointStore> = Layer.effect(CheckpointStore.CheckpointStore, make)
