/**
 * Spans that cost nothing unless someone listens. Effect's built-in tracer records spans nowhere, yet creating one
 * costs about 10-20 µs, as much as a whole in-memory append; so Chronicle opens its spans only when the application
 * has installed another tracer (OpenTelemetry, or any `Tracer` via `Effect.withTracer` / `Layer.setTracer`).
 *
 * @internal
 */
import { Effect, Stream, type Tracer } from "effect"

const builtIn: Tracer.Tracer = Effect.runSync(Effect.tracer)

/** Runs `effect` in a span named `name` when a tracer other than Effect's built-in one is installed. */
export const traced =
  (name: string, attributes?: () => Record<string, unknown>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.tracerWith((tracer) =>
      tracer === builtIn
        ? effect
        : Effect.withSpan(effect, name, {
            captureStackTrace: false,
            ...(attributes === undefined ? {} : { attributes: attributes() })
          })
    )

/** The Stream form of `traced`. */
export const tracedStream =
  (name: string, attributes?: () => Record<string, unknown>) =>
  <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Stream.unwrap(
      Effect.tracerWith((tracer) =>
        Effect.succeed(
          tracer === builtIn
            ? stream
            : Stream.withSpan(stream, name, {
                captureStackTrace: false,
                ...(attributes === undefined ? {} : { attributes: attributes() })
              })
        )
      )
    )
