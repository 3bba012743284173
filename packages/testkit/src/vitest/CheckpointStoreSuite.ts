/**
 * The conformance suite every `CheckpointStore` runs.
 *
 * @since 0.1.0
 */
import { CheckpointStore, Position } from "@chronicle/core"
import { assert, layer } from "@effect/vitest"
import { Effect, Either, type Layer, Schema } from "effect"

const uniqueName = (label: string) => `${label}-${crypto.randomUUID()}`

/** A position from its text: a checkpoint store keeps any store's positions, counters and pairs alike. */
const at = Schema.decodeSync(Position.FromString)

/**
 * Registers the checkpoint store suite: unknown projections start at `Position.start`, commits store positions
 * (counters and pairs, kept exactly), a failing update stores nothing, projections are independent, a checkpoint can
 * be reset, and of concurrent commits from one position only one runs its update.
 *
 * @since 0.1.0
 * @category suites
 */
export const checkpointStoreSuite = <E>(name: string, storeLayer: Layer.Layer<CheckpointStore.CheckpointStore, E>) =>
  layer(storeLayer)(`CheckpointStore conformance: ${name}`, (it) => {
    it.effect("an unknown projection starts at position 0", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        assert.deepStrictEqual(yield* store.load(uniqueName("unknown")), Position.start)
      })
    )

    it.effect("commit runs the update, returns its value and stores the position", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("commit")
        let applied = 0
        const value = yield* store.commit(
          name,
          { from: Position.start, to: at("42") },
          Effect.sync(() => ++applied)
        )
        assert.strictEqual(value, 1)
        assert.deepStrictEqual(yield* store.load(name), at("42"))
        yield* store.commit(name, { from: at("42"), to: at("57") }, Effect.void)
        assert.deepStrictEqual(yield* store.load(name), at("57"))
      })
    )

    it.effect("keeps pair positions exactly, as a store whose transactions commit out of order makes them", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("pair")
        yield* store.commit(name, { from: Position.start, to: at("7781:42") }, Effect.void)
        assert.deepStrictEqual(yield* store.load(name), at("7781:42"))
        yield* store.commit(name, { from: at("7781:42"), to: at("9007199254740:9007199254740991") }, Effect.void)
        assert.strictEqual(Position.format(yield* store.load(name)), "9007199254740:9007199254740991")
        const error = yield* Effect.flip(store.commit(name, { from: at("7781:42"), to: at("7782:1") }, Effect.void))
        assert.instanceOf(error, CheckpointStore.CheckpointConflict)
      })
    )

    it.effect("list shows every stored checkpoint in name order; reset commits from where a checkpoint is", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const base = uniqueName("list")
        const [b, a] = [`${base}-b`, `${base}-a`]
        yield* store.commit(b, { from: Position.start, to: at("3") }, Effect.void)
        yield* store.commit(a, { from: Position.start, to: at("7781:42") }, Effect.void)
        const listed = yield* store.list
        const names = listed.map((c) => c.name)
        assert.deepStrictEqual(names, [...names].sort())
        assert.deepStrictEqual(
          listed.filter((c) => c.name.startsWith(base)),
          [
            { name: a, position: at("7781:42") },
            { name: b, position: at("3") }
          ]
        )
        const reset = yield* CheckpointStore.reset(b).pipe(
          Effect.provideService(CheckpointStore.CheckpointStore, store)
        )
        assert.deepStrictEqual(reset, { from: at("3"), to: Position.start })
        assert.deepStrictEqual(yield* store.load(b), Position.start)
        yield* CheckpointStore.reset(a, at("5")).pipe(Effect.provideService(CheckpointStore.CheckpointStore, store))
        assert.deepStrictEqual(yield* store.load(a), at("5"))
      })
    )

    it.effect("a failing update stores no checkpoint and keeps its error", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("failing")
        yield* store.commit(name, { from: Position.start, to: at("10") }, Effect.void)
        const error = yield* Effect.flip(
          store.commit(name, { from: at("10"), to: at("20") }, Effect.fail("read model refused" as const))
        )
        assert.strictEqual(error, "read model refused")
        assert.deepStrictEqual(yield* store.load(name), at("10"))
      })
    )

    it.effect("projections keep independent checkpoints, and a checkpoint can be reset to 0", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const [a, b] = [uniqueName("a"), uniqueName("b")]
        yield* store.commit(a, { from: Position.start, to: at("5") }, Effect.void)
        yield* store.commit(b, { from: Position.start, to: at("9") }, Effect.void)
        assert.deepStrictEqual([yield* store.load(a), yield* store.load(b)], [at("5"), at("9")])
        yield* store.commit(a, { from: at("5"), to: Position.start }, Effect.void)
        assert.deepStrictEqual([yield* store.load(a), yield* store.load(b)], [Position.start, at("9")])
      })
    )

    it.effect("a commit from a position the checkpoint has left fails with CheckpointConflict and runs nothing", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("conflict")
        yield* store.commit(name, { from: Position.start, to: at("7") }, Effect.void)
        let ran = false
        const error = yield* Effect.flip(
          store.commit(
            name,
            { from: at("3"), to: at("12") },
            Effect.sync(() => {
              ran = true
            })
          )
        )
        assert.instanceOf(error, CheckpointStore.CheckpointConflict)
        if (error instanceof CheckpointStore.CheckpointConflict) {
          assert.deepStrictEqual([error.expected, error.actual], [at("3"), at("7")])
        }
        assert.isFalse(ran)
        assert.deepStrictEqual(yield* store.load(name), at("7"))
      })
    )

    it.effect("of concurrent commits from one position, one wins; the others fail with CheckpointConflict, unrun", () =>
      Effect.gen(function* () {
        const store = yield* CheckpointStore.CheckpointStore
        const name = uniqueName("race")
        let runs = 0
        // A slow update (real milliseconds: the test clock does not move by itself), so the commits overlap.
        const update = Effect.sync(() => ++runs).pipe(
          Effect.zipLeft(Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 20))))
        )
        const results = yield* Effect.all(
          Array.from({ length: 4 }, () =>
            Effect.either(store.commit(name, { from: Position.start, to: at("10") }, update))
          ),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(results.filter(Either.isRight).length, 1)
        for (const result of results) {
          if (Either.isLeft(result)) {
            assert.instanceOf(result.left, CheckpointStore.CheckpointConflict)
            if (result.left instanceof CheckpointStore.CheckpointConflict) {
              assert.deepStrictEqual([result.left.expected, result.left.actual], [Position.start, at("10")])
            }
          }
        }
        assert.strictEqual(runs, 1)
        assert.deepStrictEqual(yield* store.load(name), at("10"))
      })
    )
  })
