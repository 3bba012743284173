/**
 * The in-memory checkpoint store. `commit` stores the checkpoint only once the read-model update succeeded; with an
 * in-memory read model that updates in one step (`Projection.inMemory`), the two change together.
 *
 * @since 0.1.0
 */
import { CheckpointStore } from "@chronicle/core"
import { Effect, Layer } from "effect"

/**
 * A fresh, empty in-memory `CheckpointStore`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CheckpointStore.CheckpointStore["Type"]> = Effect.sync(() => {
  const checkpoints = new Map<string, number>()
  return {
    load: (name) => Effect.sync(() => checkpoints.get(name) ?? 0),
    commit: (name, position, update) =>
      Effect.tap(update, () =>
        Effect.sync(() => {
          checkpoints.set(name, position)
        })
      )
  }
})

/**
 * A Layer providing a fresh, empty in-memory `CheckpointStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CheckpointStore.CheckpointStore> = Layer.effect(CheckpointStore.CheckpointStore, make)
