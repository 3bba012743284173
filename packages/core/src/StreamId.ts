/**
 * Stream identity: a validated, branded string naming one event stream.
 *
 * @since 0.1.0
 */
import { type Effect, Either, ParseResult, Schema } from "effect"
import { isWellFormed } from "./internal/unicode.js"

/**
 * The longest stream id accepted, in UTF-16 code units.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLength = 256

// C0 and C1 control characters and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/

/**
 * A stream id: non-empty, at most {@link maxLength} characters, no control characters, well-formed Unicode (no lone
 * surrogate, which no database could store as it is).
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamId = Schema.String.pipe(
  Schema.filter((s) => {
    if (s.length === 0) return "a stream id must not be empty"
    if (s.length > maxLength) return `a stream id must be at most ${maxLength} characters (got ${s.length})`
    if (controlCharacters.test(s)) return "a stream id must not contain control characters"
    if (!isWellFormed(s)) return "a stream id must be well-formed Unicode (it has a lone surrogate)"
    return undefined
  }),
  Schema.brand("@chronicle/core/StreamId"),
  Schema.annotations({ identifier: "StreamId" })
)

/**
 * A validated stream id.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamId = typeof StreamId.Type

/**
 * Raised when a string is not a valid stream id.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidStreamId extends Schema.TaggedError<InvalidStreamId>("@chronicle/core/InvalidStreamId")(
  "InvalidStreamId",
  { input: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Invalid stream id ${JSON.stringify(this.input.slice(0, 80))}: ${this.reason}`
  }
}

const decode = Schema.decodeUnknownEither(StreamId)

/**
 * Validates a string as a stream id, as an `Either`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (input: string): Either.Either<StreamId, InvalidStreamId> =>
  // The checks below are a fast path for valid ids; the schema, which every other input goes to, rules the same way.
  // Stryker disable next-line ConditionalExpression: skipping the fast path changes no result
  typeof input === "string" &&
  input.length > 0 &&
  input.length <= maxLength &&
  !controlCharacters.test(input) &&
  isWellFormed(input)
    ? Either.right(input as StreamId)
    : Either.mapLeft(
        decode(input),
        (error) =>
          new InvalidStreamId({
            input: String(input),
            // Stryker disable StringLiteral: the filter reports one broken rule: one message, so the separator is unused
            reason: ParseResult.ArrayFormatter.formatErrorSync(error)
              .map((issue) => issue.message)
              .join("; ")
          })
      )

// Stryker restore StringLiteral
/**
 * Validates a string as a stream id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: string): Effect.Effect<StreamId, InvalidStreamId> => validate(input)

/**
 * Validates a string as a stream id, throwing `InvalidStreamId` when it is not one. For constants in programs and tests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMake = (input: string): StreamId => Either.getOrThrow(validate(input))
