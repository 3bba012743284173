/**
 * Given/when/then specifications of a decider: given past events, when a command is decided, then these events (or
 * this error, or nothing) follow. Synchronous; a mismatch throws vitest's assertion error.
 *
 * @since 0.1.0
 */
import type { Decider } from "@chronicle/core"
import { Either } from "effect"
import { expect } from "vitest"

/**
 * The `then` step of a specification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Then<E, S, Err> {
  /** Asserts the command produced exactly these events, in order. Returns the state after them. */
  readonly then: (expected: ReadonlyArray<E>) => S
  /** Asserts the command was rejected with this error (compared structurally, class included). */
  readonly thenFails: (expected: Err) => void
  /** Asserts the command was accepted and produced no event. */
  readonly thenNothingHappened: () => void
}

/**
 * The `when` step of a specification.
 *
 * @since 0.1.0
 * @category models
 */
export interface When<C, E, S, Err> {
  readonly when: (command: C) => Then<E, S, Err>
}

/**
 * A specification of one decider.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeciderSpec<C, E, S, Err> {
  readonly given: (events: ReadonlyArray<E>) => When<C, E, S, Err>
}

const describeResult = (result: Either.Either<ReadonlyArray<unknown>, unknown>): string =>
  Either.match(result, {
    onLeft: (error) => `a failure: ${String(error)}`,
    onRight: (events) => `events: ${JSON.stringify(events)}`
  })

/**
 * Starts a specification of `decider`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <C, E, S, Err>(decider: Decider.Decider<C, E, S, Err>): DeciderSpec<C, E, S, Err> => ({
  given: (history) => ({
    when: (command) => {
      let state = decider.initialState
      for (const event of history) state = decider.evolve(state, event)
      const result = decider.decide(command, state)
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the specification's vocabulary
        then: (expected) => {
          if (Either.isLeft(result)) throw new Error(`Expected events but the command failed: ${String(result.left)}`)
          expect(result.right).toStrictEqual(expected)
          let after = state
          for (const event of result.right) after = decider.evolve(after, event)
          return after
        },
        thenFails: (expected) => {
          if (Either.isRight(result)) throw new Error(`Expected a failure but got ${describeResult(result)}`)
          expect(result.left).toStrictEqual(expected)
          expect(Object.getPrototypeOf(result.left)).toBe(Object.getPrototypeOf(expected))
        },
        thenNothingHappened: () => {
          if (Either.isLeft(result) || result.right.length > 0) {
            throw new Error(`Expected nothing to happen but got ${describeResult(result)}`)
          }
        }
      }
    }
  })
})
