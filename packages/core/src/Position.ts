/**
 * Global positions: where an event sits in the store's global order. A position is opaque and ordered: compare
 * positions with `Order` (or `isAfter`, `max`, ...), never by their text, and carry them through checkpoints,
 * exports, JSON and HTTP as the string `toString` gives (`FromString` decodes it back, unchanged).
 *
 * Every store gives its events increasing positions, but not every store can use one counter: a single-writer store
 * (memory, SQLite) numbers events 1, 2, 3 ... (written `"1"`, `"2"`, `"3"`), while PostgreSQL, where concurrent
 * transactions commit out of order, uses the pair (transaction id, sequence) (written `"7781:42"`), the only order
 * that commits cannot break without a global lock. Subscriptions, projections and time travel work alike on both.
 *
 * @since 0.1.0
 */
import { Order as Ord, ParseResult, Schema } from "effect"
import * as internal from "./internal/position.js"

/**
 * The type id of positions.
 *
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = internal.TypeId

/**
 * A position in the global order of one store.
 *
 * @since 0.1.0
 * @category models
 */
export type Position = internal.Position

/**
 * Whether a value is a position.
 *
 * @since 0.1.0
 * @category guards
 */
export const isPosition: (value: unknown) => value is Position = internal.isPosition

/**
 * The position before every event: reading after it reads from the first event; a projection that has applied
 * nothing is there.
 *
 * @since 0.1.0
 * @category constants
 */
export const start: Position = internal.start

/**
 * The order of positions: the global order of the store that gave them.
 *
 * @since 0.1.0
 * @category instances
 */
export const Order: Ord.Order<Position> = (self, that) => {
  const a = internal.parts(self)
  const b = internal.parts(that)
  // Stryker disable next-line EqualityOperator: the majors differ here, so `<=` is `<`
  if (a.major !== b.major) return a.major < b.major ? -1 : 1
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0
}

/**
 * Whether `self` comes after `that` in the global order.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAfter: {
  (that: Position): (self: Position) => boolean
  (self: Position, that: Position): boolean
} = Ord.greaterThan(Order)

/**
 * Whether `self` comes before `that` in the global order.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isBefore: {
  (that: Position): (self: Position) => boolean
  (self: Position, that: Position): boolean
} = Ord.lessThan(Order)

/**
 * The later of two positions.
 *
 * @since 0.1.0
 * @category combinators
 */
export const max: {
  (that: Position): (self: Position) => Position
  (self: Position, that: Position): Position
} = Ord.max(Order)

/**
 * The readable text of a position: `"42"` for a single-counter store, `"7781:42"` for a pair. It is also the form
 * `FromString` decodes, so it can be stored, sent and typed back.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (position: Position): string => position.toString()

const pattern = /^(?:(0|[1-9][0-9]*):)?(0|[1-9][0-9]*)$/

/**
 * Reads a position from its text, or `undefined` when the text is not one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parse = (text: string): Position | undefined => {
  const match = typeof text === "string" ? pattern.exec(text) : null
  if (match === null) return undefined
  const major = match[1] === undefined ? 0 : Number(match[1])
  const minor = Number(match[2])
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || (match[1] !== undefined && major === 0)) {
    return undefined
  }
  return internal.fromParts(major, minor)
}

/**
 * The schema of a position value (the decoded side).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PositionSchema: Schema.Schema<Position> = Schema.declare(isPosition, {
  identifier: "Position",
  description: "a position in the global order of events",
  pretty: () => format,
  arbitrary: () => (fc) =>
    fc
      .tuple(fc.constantFrom(0, 0, 1, 7781), fc.nat({ max: 1_000_000 }))
      .map(([major, minor]) => internal.fromParts(major, minor))
})

/**
 * A position to and from its text (`"42"`, `"7781:42"`): for checkpoints, exports, JSON, HTTP and command lines.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FromString: Schema.Schema<Position, string> = Schema.transformOrFail(Schema.String, PositionSchema, {
  // Stryker disable next-line BooleanLiteral: `strict` only chooses the functions' types; nothing reads it at run time.
  strict: true,
  decode: (text, _, ast) => {
    const position = parse(text)
    return position === undefined
      ? ParseResult.fail(
          new ParseResult.Type(
            ast,
            text,
            `a position is a whole number or two joined by ":" (got ${JSON.stringify(text)})`
          )
        )
      : ParseResult.succeed(position)
  },
  encode: (position) => ParseResult.succeed(format(position))
}).annotations({ identifier: "PositionFromString" })
