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
 * Declares a decider (an identity function that fixes the type parameters).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <C, E, S, Err = never>(decider: Decider<C, E, S, Err>): Decider<C, E, S, Err> => decider

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
