/**
 * The in-memory checkpoint store. `commit` checks the checkpoint is where the committer saw it, runs the update, and
 * stores the new checkpoint only once the update succeeded: a read model that changes in one step changes together
 * with it. (Checkpoints in memory suit read models in memory, which start afresh with the process anyway.)
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
    commit: (name, { from, to }, update) =>
      Effect.suspend(() => {
        const actual = checkpoints.get(name) ?? 0
        type Result = Effect.Effect<
          Effect.Effect.Success<typeof update>,
          Effect.Effect.Error<typeof update> | CheckpointStore.CheckpointConflict,
          Effect.Effect.Context<typeof update>
        >
        if (actual !== from) {
          return Effect.fail(new CheckpointStore.CheckpointConflict({ name, expected: from, actual })) as Result
        }
        return Effect.tap(update, () =>
          Effect.sync(() => {
            checkpoints.set(name, to)
          })
        ) as Result
      })
  }
})

/**
 * A Layer providing a fresh, empty in-memory `CheckpointStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CheckpointStore.CheckpointStore> = Layer.effect(CheckpointStore.CheckpointStore, make)
