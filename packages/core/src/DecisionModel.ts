/**
 * Decision models (Dynamic Consistency Boundary): a decision over several small projections — each a query, an
 * initial state and an evolve — read together with one query (the OR of theirs) and one consistency marker, decided
 * purely, and appended with the condition "no event matching the model's query after the marker". A rule that spans
 * streams (a transfer checks two balances; an account number is unique across the bank) needs no saga: the condition
 * makes the decision hold at the moment of the write, and a writer that lost the race reads again and decides again
 * (`handler`), as `CommandHandler` does on a stream conflict, with the same retry schedule.
 *
 * @since 0.1.0
 */
import { Effect, Either, type Schedule, Stream } from "effect"
import { defaultRetry } from "./CommandHandler.js"
import type { EventCodec } from "./EventCodec.js"
import * as EventStore from "./EventStore.js"
import type * as ExpectedVersion from "./ExpectedVersion.js"
import type { EventDecodeError } from "./EventStoreError.js"
import { traced } from "./internal/tracing.js"
import type { Position } from "./Position.js"
import * as Query from "./Query.js"
import type { RecordedEvent } from "./RecordedEvent.js"

/**
 * One projection of a decision model: the events it reads (`query`), where it starts, and how an event moves it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Projection<S, E> {
  readonly query: Query.Query
  readonly initial: S
  readonly evolve: (state: S, event: E) => S
}

/**
 * A decision model: named projections read as one.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecisionModel<S, E> {
  readonly query: Query.Query
  readonly initial: S
  readonly evolve: (state: S, event: RecordedEvent<E>) => S
}

/**
 * The state of each projection of a record of projections.
 *
 * @since 0.1.0
 * @category models
 */
export type StatesOf<P> = { readonly [K in keyof P]: P[K] extends Projection<infer S, infer _E> ? S : never }

/**
 * The events the projections of a record read.
 *
 * @since 0.1.0
 * @category models
 */
export type EventOf<P> = { readonly [K in keyof P]: P[K] extends Projection<infer _S, infer E> ? E : never }[keyof P]

/**
 * Combines named projections into one model: its query is the OR of theirs, and each event moves exactly the
 * projections whose query it matches.
 *
 * @since 0.1.0
 * @category constructors
 */
// biome-ignore lint/suspicious/noExplicitAny: each projection has its own state and reads the same events; evolve takes both in, so unknown would not do
export const make = <P extends Record<string, Projection<any, any>>>(
  projections: P
): DecisionModel<StatesOf<P>, EventOf<P>> => {
  const entries = Object.entries(projections)
  const initial = Object.fromEntries(entries.map(([name, projection]) => [name, projection.initial])) as StatesOf<P>
  return {
    query: entries.reduce((query, [, projection]) => Query.or(query, projection.query), Query.none),
    initial,
    evolve: (state, event) => {
      let next: Record<string, unknown> | undefined
      for (const [name, projection] of entries) {
        if (!Query.matches(projection.query, event)) continue
        next ??= { ...state }
        next[name] = projection.evolve(next[name], event.data)
      }
      return (next ?? state) as StatesOf<P>
    }
  }
}

/**
 * A model's state as read, and the marker to condition the decision's append on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Loaded<S> {
  readonly state: S
  readonly marker: Position
}

/**
 * Reads a model: one read by its query, every event decoded and folded, in bounded memory.
 *
 * @since 0.1.0
 * @category loading
 */
export const load = <S, E extends { readonly _tag: string }>(
  model: DecisionModel<S, E>,
  codec: EventCodec<E>
): Effect.Effect<Loaded<S>, EventStore.ReadError | EventDecodeError, EventStore.EventStore> =>
  Effect.flatMap(EventStore.read(model.query), ({ events, marker }) =>
    Effect.map(
      Stream.runFoldEffect(events, model.initial, (state, event) =>
        Either.match(codec.decode(event), {
          onLeft: Effect.fail,
          onRight: (decoded) => Effect.succeed(model.evolve(state, decoded))
        })
      ),
      (state) => ({ state, marker })
    )
  )

/**
 * What a decision appends: domain events per stream, each with its tags, and optionally what the stream's version
 * must be (checked with the condition, in the same write): an opening expects no stream, so that a stream whose events
 * carry no tags (written before tags, or without them) is never opened twice.
 *
 * @since 0.1.0
 * @category models
 */
export interface Append<E> {
  readonly streamId: string
  readonly events: ReadonlyArray<E>
  readonly expectedVersion?: ExpectedVersion.ExpectedVersion
}

/**
 * Options of `handle`: the codec, the tags of each event (`tagsOf`, given the event and its stream), and the retry
 * schedule on a failed condition (default `CommandHandler.defaultRetry`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<E extends { readonly _tag: string }> {
  readonly codec: EventCodec<E>
  readonly tagsOf: (event: E, streamId: string) => ReadonlyArray<string>
  readonly retry?: Schedule.Schedule<unknown, unknown>
}

/**
 * Reads the model, decides (pure: appends or a typed error; no appends means nothing happens), and appends every
 * stream's events at once under the condition "nothing matching the model's query after the marker"; when another
 * writer got there first (`AppendConditionFailed`), reads and decides again while the schedule allows.
 *
 * @since 0.1.0
 * @category handling
 */
export const handle = <S, E extends { readonly _tag: string }, Err>(
  model: DecisionModel<S, E>,
  decide: (state: S) => Either.Either<ReadonlyArray<Append<E>>, Err>,
  options: Options<E>
): Effect.Effect<
  ReadonlyArray<EventStore.AppendResult>,
  Err | EventStore.AppendError | EventStore.ReadError | EventDecodeError,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const { marker, state } = yield* load(model, options.codec)
    const appends = yield* decide(state)
    if (appends.length === 0) return []
    const encoded: Array<EventStore.StreamAppend> = []
    for (const append of appends) {
      const events = yield* options.codec.encodeAll(append.events, { streamId: append.streamId })
      encoded.push({
        streamId: append.streamId,
        events: events.map((event, i) => ({ ...event, tags: options.tagsOf(append.events[i]!, append.streamId) })),
        ...(append.expectedVersion === undefined ? {} : { expectedVersion: append.expectedVersion })
      })
    }
    return yield* EventStore.appendMany(encoded, { condition: { failIfEventsMatch: model.query, after: marker } })
  }).pipe(
    Effect.retry({
      schedule: options.retry ?? defaultRetry,
      while: (error) => (error as { readonly _tag?: unknown })._tag === "AppendConditionFailed"
    }),
    traced("DecisionModel.handle")
  )
