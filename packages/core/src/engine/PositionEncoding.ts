/**
 * How engines turn their own numbers into positions and back. A single-writer store numbers its events with one
 * counter; a store whose transactions commit out of order uses a pair (transaction id, sequence). Applications never
 * need this: positions are opaque to them.
 *
 * @since 0.1.0
 */
import * as internal from "../internal/position.js"
import type { Position } from "../Position.js"

/**
 * The position of the `n`-th event of a single-counter store (`n` a safe integer ≥ 0; 0 is `Position.start`).
 *
 * @since 0.1.0
 * @category counters
 */
export const fromCounter = (n: number): Position => internal.fromParts(0, n)

/**
 * The counter of a position, for a single-counter store. A pair position (another kind of store's) sorts after every
 * counter position, so it maps to `Number.MAX_SAFE_INTEGER`: reading after it reads nothing, as its order says.
 *
 * @since 0.1.0
 * @category counters
 */
export const toCounter = (position: Position): number => {
  const { major, minor } = internal.parts(position)
  return major === 0 ? minor : Number.MAX_SAFE_INTEGER
}

/**
 * The position of a pair: `major` (such as a transaction id) first, then `minor` (such as a sequence), both safe
 * integers ≥ 0.
 *
 * @since 0.1.0
 * @category pairs
 */
export const fromPair = (major: number, minor: number): Position => internal.fromParts(major, minor)

/**
 * The pair of a position (a counter position is `[0, n]`).
 *
 * @since 0.1.0
 * @category pairs
 */
export const toPair = (position: Position): readonly [major: number, minor: number] => {
  const { major, minor } = internal.parts(position)
  return [major, minor]
}
