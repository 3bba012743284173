/**
 * The pure heart of a domain: decide which events a command produces, and evolve state by one event.
 *
 * @since 0.1.0
 */
import type { Either } from "effect"

/**
 * A decider over commands `C`, events `E`, state `S` and domain errors `Err`.
 *
 * - `decide` is pure and total: it returns the events to record (an empty array means nothing happens) or a typed
 *   domain error; it never throws, reads no clock and draws no random numbers.
 * - `evolve` is pure: the state after one event.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decider<C, E, S, Err = never> {
  readonly initialState: S
  readonly decide: (command: C, state: S) => Either.Either<ReadonlyArray<E>, Err>
  readonly evolve: (state: S, event: E) => S
}

/**
 * Declares a decider: an identity function that fixes the type parameters. Give them explicitly
 * (`make<C, E, S, Err>(...)`) or let them be inferred; inferred, the error type is the union of every error `decide`
 * can return (a `decide` with several branches returning different errors needs no annotation).
 *
 * @since 0.1.0
 * @category constructors
 */
export function make<C, E, S, Err = never>(decider: Decider<C, E, S, Err>): Decider<C, E, S, Err>
export function make<C, E, S, D extends Either.Either<ReadonlyArray<E>, unknown>>(decider: {
  readonly initialState: S
  readonly decide: (command: C, state: S) => D
  readonly evolve: (state: S, event: E) => S
}): Decider<C, E, S, Either.Either.Left<D>>
export function make<C, E, S, Err>(decider: Decider<C, E, S, Err>): Decider<C, E, S, Err> {
  return decider
}

/**
 * The state after a sequence of events, starting from `state` (the decider's initial state by default): a left fold.
 *
 * @since 0.1.0
 * @category combinators
 */
export const fold =
  <C, E, S, Err>(decider: Decider<C, E, S, Err>) =>
  (events: Iterable<E>, state: S = decider.initialState): S => {
    let s = state
    for (const event of events) s = decider.evolve(s, event)
    return s
  }
