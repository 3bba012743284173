/**
 * Deciders registered with the server, for time travel: each folds the streams whose id starts with its prefix up to
 * any version (`CommandHandler.loadAt`), and the state is shown as its Schema encodes it. A registration is a typed
 * option of the server (`ApiHandlers.layer({ deciders })`); the demo registers `BankAccount`.
 *
 * @since 0.1.0
 */
import { CommandHandler, type Decider, type EventCodec, type EventStore } from "@chronicle/core"
import { Effect, Schema } from "effect"

/**
 * A registered decider: its name, the prefix of the streams it folds, and the fold up to a version, as JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface Registration {
  readonly name: string
  readonly streamPrefix: string
  readonly stateAt: (
    streamId: string,
    version: number
  ) => Effect.Effect<
    { readonly version: number; readonly state: unknown },
    CommandHandler.LoadError | StateNotEncoded,
    EventStore.EventStore
  >
}

/**
 * A folded state that its Schema could not encode.
 *
 * @since 0.1.0
 * @category errors
 */
export class StateNotEncoded extends Schema.TaggedError<StateNotEncoded>("@chronicle/http/StateNotEncoded")(
  "StateNotEncoded",
  { decider: Schema.String, reason: Schema.String }
) {}

/**
 * Registers a decider: its events are decoded with `codec`, folded with `decider`, and the state encoded with `state`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const register = <C, E extends { readonly _tag: string }, S, Err, I>(options: {
  readonly name: string
  readonly streamPrefix: string
  readonly decider: Decider.Decider<C, E, S, Err>
  readonly codec: EventCodec.EventCodec<E>
  readonly state: Schema.Schema<S, I>
}): Registration => {
  const handler = CommandHandler.make({ decider: options.decider, codec: options.codec, cache: false })
  const encode = Schema.encode(options.state)
  return {
    name: options.name,
    streamPrefix: options.streamPrefix,
    stateAt: (streamId, version) =>
      Effect.flatMap(handler.loadAt(streamId, { version }), (loaded) =>
        Effect.mapBoth(encode(loaded.state), {
          onFailure: (error) => new StateNotEncoded({ decider: options.name, reason: error.message }),
          onSuccess: (state) => ({ version: loaded.version, state })
        })
      )
  }
}

/**
 * The registration whose prefix the stream id starts with (the longest, when several do).
 *
 * @since 0.1.0
 * @category constructors
 */
export const find = (registrations: ReadonlyArray<Registration>, streamId: string): Registration | undefined =>
  registrations
    .filter((r) => streamId.startsWith(r.streamPrefix))
    .sort((a, b) => b.streamPrefix.length - a.streamPrefix.length)[0]
