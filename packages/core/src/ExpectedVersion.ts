/**
 * What a writer expects of a stream's version when it appends: the optimistic concurrency check.
 *
 * Numbering: the first event of a stream has version 1; an empty (never written) stream has version 0.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * The four expectations an append can carry.
 *
 * - `Any`: no check.
 * - `NoStream`: the stream must have no events (version 0).
 * - `StreamExists`: the stream must have at least one event.
 * - `Exact`: the stream's version must be exactly `version` (`Exact(0)` is the same as `NoStream`).
 *
 * @since 0.1.0
 * @category models
 */
export type ExpectedVersion = Data.TaggedEnum<{
  Any: {}
  NoStream: {}
  StreamExists: {}
  Exact: { readonly version: number }
}>

const { Any, Exact, NoStream, StreamExists, $match } = Data.taggedEnum<ExpectedVersion>()

/**
 * No concurrency check.
 *
 * @since 0.1.0
 * @category constructors
 */
export const any: ExpectedVersion = Any()

/**
 * The stream must not exist yet.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noStream: ExpectedVersion = NoStream()

/**
 * The stream must already have at least one event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const streamExists: ExpectedVersion = StreamExists()

/**
 * The stream must be at exactly this version (0 for a stream that does not exist).
 *
 * @since 0.1.0
 * @category constructors
 */
export const exact = (version: number): ExpectedVersion => Exact({ version })

/**
 * Whether a stream at version `actual` satisfies the expectation.
 *
 * @since 0.1.0
 * @category predicates
 */
export const matches = (expected: ExpectedVersion, actual: number): boolean => {
  switch (expected._tag) {
    case "Any":
      return true
    case "NoStream":
      return actual === 0
    case "StreamExists":
      return actual > 0
    case "Exact":
      return actual === expected.version
  }
}

/**
 * A short human-readable form, such as `exact(3)` or `no-stream`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format: (expected: ExpectedVersion) => string = $match({
  Any: () => "any",
  NoStream: () => "no-stream",
  StreamExists: () => "stream-exists",
  Exact: ({ version }) => `exact(${version})`
})
