/**
 * The conformance suite every `CheckpointStore` runs.
 *
 * @since 0.1.0
 */
import { CheckpointStore } from "@chronicle/core"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"

const uniqueName = (label: string) => `${label}-${crypto.randomUUID()}`

/**
 * Registers the checkpoint store suite: unknown projections start at 0, commits store positions, a failing update
 * stores nothing, projections are independent, and a checkpoint can be reset.
 *
 * @since 0.1.0
 * @category suites
 */
export const checkpointStoreSuite = <E>(name: string, storeLayer: Layer.Layer<CheckpointStore.CheckpointStore, E>) =>
  layer(storeLayer)(`CheckpointStore conformance: ${name}`, (it) => {
    it.effect("an unknown projection starts at position 0", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        assert.strictEqual(yield* store.load(uniqueName("unknown")), 0)
      })
    )

    it.effect("commit runs the update, returns its value and stores the position", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("commit")
        let applied = 0
        const value = yield* store.commit(
          name,
          { from: 0, to: 42 },
          Effect.sync(() => ++applied)
        )
        assert.strictEqual(value, 1)
        assert.strictEqual(yield* store.load(name), 42)
        yield* store.commit(name, { from: 42, to: 57 }, Effect.void)
        assert.strictEqual(yield* store.load(name), 57)
      })
    )

    it.effect("a failing update stores no checkpoint and keeps its error", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("failing")
        yield* store.commit(name, { from: 0, to: 10 }, Effect.void)
        const error = yield* Effect.flip(
          store.commit(name, { from: 10, to: 20 }, Effect.fail("read model refused" as const))
        )
        assert.strictEqual(error, "read model refused")
        assert.strictEqual(yield* store.load(name), 10)
      })
    )

    it.effect("projections keep independent checkpoints, and a checkpoint can be reset to 0", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const [a, b] = [uniqueName("a"), uniqueName("b")]
        yield* store.commit(a, { from: 0, to: 5 }, Effect.void)
        yield* store.commit(b, { from: 0, to: 9 }, Effect.void)
        assert.deepStrictEqual([yield* store.load(a), yield* store.load(b)], [5, 9])
        yield* store.commit(a, { from: 5, to: 0 }, Effect.void)
        assert.deepStrictEqual([yield* store.load(a), yield* store.load(b)], [0, 9])
      })
    )

    it.effect("a commit from a position the checkpoint has left fails with CheckpointConflict and runs nothing", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("conflict")
        yield* store.commit(name, { from: 0, to: 7 }, Effect.void)
        let ran = false
        const error = yield* Effect.flip(
          store.commit(
            name,
            { from: 3, to: 12 },
            Effect.sync(() => {
              ran = true
            })
          )
        )
        assert.instanceOf(error, CheckpointStore.CheckpointConflict)
        if (error instanceof CheckpointStore.CheckpointConflict) {
          assert.deepStrictEqual([error.expected, error.actual], [3, 7])
        }
        assert.isFalse(ran)
        assert.strictEqual(yield* store.load(name), 7)
      })
    )
  })
