/**
 * Given/when/then specifications of a decider: given past events, when a command is decided, then these events (or
 * this error, or nothing) follow. Synchronous, and bound to no test runner: a mismatch throws node's `AssertionError`,
 * which vitest, `node:test`, Jest and Mocha all report as a failed expectation.
 *
 * @since 0.1.0
 */
import * as assert from "node:assert/strict"
import type { Decider } from "@chronicle/core"
import { Either } from "effect"

/**
 * The `then` step of a specification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Then<E, S, Err> {
  /** Asserts the command produced exactly these events, in order. Returns the state after them. */
  readonly then: (expected: ReadonlyArray<E>) => S
  /** Asserts the command was rejected with this error (compared structurally, prototype included). */
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
      const fail = (message: string, expected: unknown, operator: string): never => {
        throw new assert.AssertionError({ message, actual: result, expected, operator })
      }
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the specification's vocabulary
        then: (expected) => {
          if (Either.isLeft(result)) {
            return fail(`Expected events but the command failed: ${String(result.left)}`, expected, "then")
          }
          assert.deepStrictEqual(result.right, expected)
          let after = state
          for (const event of result.right) after = decider.evolve(after, event)
          return after
        },
        thenFails: (expected) => {
          if (Either.isRight(result)) {
            return fail(`Expected a failure but got ${describeResult(result)}`, expected, "thenFails")
          }
          assert.deepStrictEqual(result.left, expected)
        },
        thenNothingHappened: () => {
          if (Either.isLeft(result) || result.right.length > 0) {
            fail(`Expected nothing to happen but got ${describeResult(result)}`, [], "thenNothingHappened")
          }
        }
      }
    }
  })
})
