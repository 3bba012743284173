/**
 * Spans that cost nothing unless someone listens. Effect's built-in tracer records spans nowhere, yet creating one
 * costs about 10-20 µs, as much as a whole in-memory append; so Chronicle opens its spans only when the application
 * has installed another tracer (OpenTelemetry, or any `Tracer` via `Effect.withTracer` / `Layer.setTracer`).
 *
 * @internal
 */
import { Clock, Context, Effect, Stream, Tracer } from "effect"

const builtIn: Tracer.Tracer = Effect.runSync(Effect.tracer)

const spanOptions = (attributes: (() => Record<string, unknown>) | undefined) => ({
  captureStackTrace: false,
  ...(attributes === undefined ? {} : { attributes: attributes() })
})

/** Runs `effect` in a span named `name` when a tracer other than Effect's built-in one is installed. */
export const traced =
  (name: string, attributes?: () => Record<string, unknown>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.tracerWith((tracer) =>
      tracer === builtIn ? effect : Effect.withSpan(effect, name, spanOptions(attributes))
    )

/**
 * `traced` for a body that needs the fiber's clock or services, in one step of the fiber runtime where
 * `Effect.clockWith` and a service lookup inside `traced` take several each: what the hottest paths (an append, a
 * command) can save. `body` runs when the effect does, with the clock and the fiber's context, and what it returns runs
 * in the span.
 */
export const tracedWith = <A, E, R>(
  name: string,
  attributes: () => Record<string, unknown>,
  body: (clock: Clock.Clock, context: Context.Context<never>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const services = fiber.currentDefaultServices
    const effect = body(Context.get(services, Clock.Clock), fiber.currentContext)
    return Context.get(services, Tracer.Tracer) === builtIn
      ? effect
      : Effect.withSpan(effect, name, spanOptions(attributes))
  })

/** The Stream form of `traced`. */
export const tracedStream =
  (name: string, attributes?: () => Record<string, unknown>) =>
  <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Stream.unwrap(
      Effect.tracerWith((tracer) =>
        Effect.succeed(tracer === builtIn ? stream : Stream.withSpan(stream, name, spanOptions(attributes)))
      )
    )
