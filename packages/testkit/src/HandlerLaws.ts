/**
 * The store-backed laws of a command handler, on whatever store the caller provides: for generated command sequences,
 * replaying the stored events gives the state and version the handler returned, and a refused command records
 * nothing. They check the decider, the codec, the handler and the store together, the test a user would otherwise
 * write by hand. `check` returns an Effect, so any test runner can run it.
 *
 * @since 0.1.0
 */
import { isDeepStrictEqual } from "node:util"
import { CommandHandler, Decider, type EventCodec, EventStore } from "@chronicle/core"
import { Chunk, Data, Effect, Either, FastCheck, Runtime, Stream } from "effect"

/**
 * What the laws need: the decider and its codec, an arbitrary of single commands, and optionally the handler under
 * test (by default `CommandHandler.make({ decider, codec })`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<C, E extends { readonly _tag: string }, S, Err, R = EventStore.EventStore> {
  readonly decider: Decider.Decider<C, E, S, Err>
  readonly codec: EventCodec.EventCodec<E>
  readonly command: FastCheck.Arbitrary<C>
  /** The handler under test, e.g. one with snapshots; it must be built from the same decider and codec. */
  readonly handler?: CommandHandler.CommandHandler<C, E, S, Err, R>
  /** The stream each sequence runs on; a new one per sequence. Default: `HandlerLaws-<uuid>`. */
  readonly streamId?: () => string
  /** State equality; structural (`node:util` isDeepStrictEqual) by default. */
  readonly equals?: (a: S, b: S) => boolean
  /** Longest command sequence generated (default 20). */
  readonly maxCommands?: number
  /** Sequences generated (default 100). */
  readonly numRuns?: number
  readonly seed?: number
}

/**
 * A law that did not hold: which one, at which command of which sequence (the shrunk counterexample when it comes
 * from `check`), and what was seen.
 *
 * @since 0.1.0
 * @category errors
 */
export class HandlerLawViolation extends Data.TaggedError("HandlerLawViolation")<{
  readonly law: "replay" | "refusal"
  readonly step: number
  readonly detail: string
  readonly commands: ReadonlyArray<unknown>
  readonly seed?: number
}> {
  override get message(): string {
    const seed = this.seed === undefined ? "" : ` (seed ${this.seed})`
    const where = `command #${this.step} of ${JSON.stringify(this.commands)}${seed}`
    return `Handler law "${this.law}" broke at ${where}: ${this.detail}`
  }
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value)

/**
 * Runs one command sequence on a new stream and checks, after every command:
 * - replay: when the handler accepts the command, reading the stream and folding its decoded events gives the state
 *   and version the handler returned, and the stream grew by exactly the events it returned;
 * - refusal: when the handler fails, the stream is as it was, and `decide` on the replayed state refuses the command
 *   too (so a store or codec failure never passes for a domain refusal).
 *
 * @since 0.1.0
 * @category laws
 */
export const run = <C, E extends { readonly _tag: string }, S, Err, R = EventStore.EventStore>(
  options: Options<C, E, S, Err, R>,
  commands: ReadonlyArray<C>
): Effect.Effect<void, HandlerLawViolation, EventStore.EventStore | R> =>
  Effect.gen(function* () {
    const { codec, decider } = options
    const handler = (options.handler ?? CommandHandler.make({ decider, codec })) as CommandHandler.CommandHandler<
      C,
      E,
      S,
      Err,
      R
    >
    const equals = options.equals ?? isDeepStrictEqual
    const streamId = options.streamId?.() ?? `HandlerLaws-${crypto.randomUUID()}`
    const fold = Decider.fold(decider)
    const violation = (law: "replay" | "refusal", step: number, detail: string) =>
      new HandlerLawViolation({ law, step, detail, commands })
    const replay = (step: number) =>
      EventStore.readStream(streamId).pipe(
        Stream.runCollect,
        Effect.mapError((error) => violation("replay", step, `reading the stream failed: ${error.message}`)),
        Effect.flatMap((chunk) => {
          const stored = Chunk.toReadonlyArray(chunk)
          const events: Array<E> = []
          for (const event of stored) {
            const decoded = codec.decodeData(event)
            if (Either.isLeft(decoded)) return Effect.fail(violation("replay", step, decoded.left.message))
            events.push(decoded.right)
          }
          return Effect.succeed({ state: fold(events), version: stored.at(-1)?.version ?? 0 })
        })
      )

    for (const [step, command] of commands.entries()) {
      const before = yield* replay(step)
      const result = yield* Effect.either(handler.handle(streamId, command))
      const after = yield* replay(step)
      if (Either.isRight(result)) {
        const handled = result.right
        if (after.version !== handled.version) {
          return yield* violation(
            "replay",
            step,
            `the handler returned version ${handled.version}, the stream is at ${after.version}`
          )
        }
        if (after.version !== before.version + handled.events.length) {
          return yield* violation(
            "replay",
            step,
            `${handled.events.length} events returned, the stream grew from ${before.version} to ${after.version}`
          )
        }
        if (!equals(after.state, handled.state)) {
          return yield* violation(
            "replay",
            step,
            `the handler returned ${show(handled.state)}, replay gives ${show(after.state)}`
          )
        }
      } else {
        if (after.version !== before.version || !equals(after.state, before.state)) {
          return yield* violation(
            "refusal",
            step,
            `the handler failed (${String(result.left)}) but the stream went from version ${before.version} ` +
              `to ${after.version}`
          )
        }
        if (Either.isRight(decider.decide(command, before.state))) {
          return yield* violation(
            "refusal",
            step,
            `decide accepts the command, but the handler failed with ${String(result.left)}`
          )
        }
      }
    }
  })

/**
 * Checks the laws on `numRuns` generated command sequences against the `EventStore` in context (plus whatever the
 * handler needs, e.g. a `SnapshotStore`). Fails with the violation of the shrunk counterexample.
 *
 * @example
 * ```ts
 * await Effect.runPromise(
 *   HandlerLaws.check({ decider, codec, command }).pipe(Effect.provide(InMemoryEventStore.layer))
 * )
 * ```
 *
 * @since 0.1.0
 * @category laws
 */
export const check = <C, E extends { readonly _tag: string }, S, Err, R = EventStore.EventStore>(
  options: Options<C, E, S, Err, R>
): Effect.Effect<void, HandlerLawViolation, EventStore.EventStore | R> =>
  Effect.gen(function* () {
    const runPromise = Runtime.runPromise(yield* Effect.runtime<EventStore.EventStore | R>())
    // fast-check shrinks by re-running failing sequences; the last violation seen is the shrunk counterexample's.
    let last: HandlerLawViolation | undefined
    const sequences = FastCheck.array(options.command, { maxLength: options.maxCommands ?? 20 })
    const property = FastCheck.asyncProperty(sequences, async (commands) => {
      const outcome = await runPromise(Effect.either(run(options, commands))).catch((defect: unknown) => {
        last = undefined
        throw defect
      })
      if (Either.isLeft(outcome)) {
        last = outcome.left
        throw outcome.left
      }
    })
    const details = yield* Effect.promise(() =>
      FastCheck.check(property, {
        numRuns: options.numRuns ?? 100,
        ...(options.seed === undefined ? {} : { seed: options.seed })
      })
    )
    if (!details.failed) return
    if (last === undefined) return yield* Effect.die(details.errorInstance)
    const { commands, detail, law, step } = last
    return yield* new HandlerLawViolation({ law, step, detail, commands, seed: details.seed })
  })
