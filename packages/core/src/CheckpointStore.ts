/**
 * Where projections keep their checkpoints: the global position of the last event each has applied. A checkpoint is
 * committed together with the read-model update it covers, so a crash neither applies an event twice nor skips one,
 * and only from the position the committer last saw, so two runners of one projection cannot both apply a page.
 *
 * @since 0.1.0
 */
import { Context, Effect, Equal, Schema } from "effect"
import { compareCodePoints } from "./internal/order.js"
import * as Position from "./Position.js"
import type { StorageError } from "./StorageError.js"

/**
 * The checkpoint moved since the committer loaded it: another runner of the same projection is at work.
 *
 * @since 0.1.0
 * @category errors
 */
export class CheckpointConflict extends Schema.TaggedError<CheckpointConflict>("@chronicle/core/CheckpointConflict")(
  "CheckpointConflict",
  { name: Schema.String, expected: Position.FromString, actual: Position.FromString }
) {
  override get message(): string {
    return `Checkpoint of projection ${JSON.stringify(this.name)} is at ${Position.format(this.actual)}, not ${Position.format(this.expected)}: another runner is committing`
  }
}

/**
 * A projection's stored checkpoint: its name and the position of the last event it applied.
 *
 * @since 0.1.0
 * @category models
 */
export interface Checkpoint {
  readonly name: string
  readonly position: Position.Position
}

/**
 * The checkpoint store.
 *
 * @since 0.1.0
 * @category tags
 */
export class CheckpointStore extends Context.Tag("@chronicle/core/CheckpointStore")<
  CheckpointStore,
  {
    /** The stored checkpoint of a projection; `Position.start` when it has none (read from the start). */
    readonly load: (name: string) => Effect.Effect<Position.Position, StorageError>
    /** Every stored checkpoint, in ascending order of name (for operators: which projections exist, how far each is). */
    readonly list: Effect.Effect<ReadonlyArray<Checkpoint>, StorageError>
    /**
     * Moves the checkpoint from `from` to `to` and runs `update` (the read-model change for the events in between),
     * atomically: both or neither. Fails with `CheckpointConflict`, running nothing, when the checkpoint is not at
     * `from`. A store backed by a database runs both in one transaction, so `update` must use the same database.
     */
    readonly commit: <A, E, R>(
      name: string,
      move: { readonly from: Position.Position; readonly to: Position.Position },
      update: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | CheckpointConflict | StorageError, R>
  }
>() {}

/**
 * A checkpoint store in process memory, optionally starting from given checkpoints. A commit holds a lock per
 * projection from its position check until the new position is stored, so of two concurrent commits from the same
 * position one wins and the other fails with `CheckpointConflict` without running its update. It backs
 * `InMemoryCheckpointStore` and the read models of `Projection.inMemory`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeInMemory = (
  initial: Iterable<readonly [name: string, position: Position.Position]> = []
): Effect.Effect<CheckpointStore["Type"]> =>
  Effect.sync(() => {
    const checkpoints = new Map<string, Position.Position>(initial)
    const locks = new Map<string, Effect.Semaphore>()
    const lockOf = (name: string) => {
      let lock = locks.get(name)
      if (lock === undefined) {
        lock = Effect.unsafeMakeSemaphore(1)
        locks.set(name, lock)
      }
      return lock
    }
    const commit = <A, E, R>(
      name: string,
      move: { readonly from: Position.Position; readonly to: Position.Position },
      update: Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | CheckpointConflict, R> =>
      lockOf(name).withPermits(1)(
        Effect.suspend((): Effect.Effect<A, E | CheckpointConflict, R> => {
          const actual = checkpoints.get(name) ?? Position.start
          if (!Equal.equals(actual, move.from))
            return Effect.fail(new CheckpointConflict({ name, expected: move.from, actual }))
          return Effect.tap(update, () =>
            Effect.sync(() => {
              checkpoints.set(name, move.to)
            })
          )
        })
      )
    const list = Effect.sync(() =>
      [...checkpoints]
        .sort(([a], [b]) => compareCodePoints(a, b))
        .map(([name, position]): Checkpoint => ({ name, position }))
    )
    return { load: (name) => Effect.sync(() => checkpoints.get(name) ?? Position.start), list, commit }
  })

/**
 * Moves a projection's checkpoint to `to` (default `Position.start`) from wherever it is now, as one commit that
 * changes nothing else, with the `CheckpointStore` in context; returns where it was. The read model is left as it is:
 * a runner started afterwards applies the events after `to` to it again, so reset a read model that can take them
 * (emptied, or rebuilt by `ProjectionRunner.rebuild`, which resets both). A runner still committing meanwhile fails
 * with `CheckpointConflict` rather than overwrite the reset.
 *
 * @since 0.1.0
 * @category accessors
 */
export const reset = (
  name: string,
  to: Position.Position = Position.start
): Effect.Effect<
  { readonly from: Position.Position; readonly to: Position.Position },
  StorageError | CheckpointConflict,
  CheckpointStore
> =>
  Effect.flatMap(CheckpointStore, (store) =>
    Effect.flatMap(store.load(name), (from) => Effect.as(store.commit(name, { from, to }, Effect.void), { from, to }))
  )
