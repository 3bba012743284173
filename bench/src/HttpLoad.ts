/**
 * The HTTP workloads' side of the load generator (`loader`, a child process): start it against a server, let it
 * prepare (connect its live clients), then time the window from `go` to its report. The window's CPU time is this
 * process's only, the server's (and the in-process appends of `http-sse-100`): the load generator's own CPU time is
 * the client's cost, not the server's.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import * as Processes from "./Processes.js"
import type { Latency } from "./Result.js"

/**
 * What the load generator reports: requests (or, for live clients, events received by clients that got every one)
 * that succeeded and those that did not, the latency, and for live clients the spread of what each received.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly ok: number
  readonly failed: number
  readonly latency: Latency | undefined
  readonly clients?: { readonly count: number; readonly minReceived: number; readonly maxReceived: number }
}

/**
 * A timed load: the report, and the wall-clock and CPU milliseconds of the window from `go` to the report.
 *
 * @since 0.1.0
 * @category models
 */
export interface Timed {
  readonly report: Report
  readonly window: { readonly millis: number; readonly cpuMillis: number }
}

/**
 * The loader's arguments: its mode, the server's URL, and the mode's options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly mode: "append" | "read" | "sse"
  readonly url: string
  readonly connections: number
  readonly amount?: number
  readonly streams?: number
  readonly prefix?: string
  readonly body?: string
  readonly events?: number
}

const argsOf = (options: Options): Array<string> =>
  Object.entries(options).flatMap(([name, value]) => (value === undefined ? [] : [`--${name}`, String(value)]))

/** How long a load may take before the run fails (a live client that never gets its events would wait forever). */
const timeout = "10 minutes"

/**
 * Starts the loader, waits until it is ready, then times `during` (the in-process work of the window, e.g. appends for
 * live clients) and the load up to the loader's report. The loader is killed if anything fails.
 *
 * @since 0.1.0
 * @category running
 */
export const run = <E, R>(options: Options, during: Effect.Effect<void, E, R>): Effect.Effect<Timed, unknown, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => Processes.start("loader", argsOf(options))),
    (loader) =>
      Effect.gen(function* () {
        yield* Effect.promise(() => loader.line("ready"))
        const wall = performance.now()
        const cpu = process.cpuUsage()
        loader.child.stdin.write("go\n")
        const reported = Effect.promise(() => loader.line("done "))
        const [, line] = yield* Effect.all([during, reported], { concurrency: 2 }).pipe(
          Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error(`the ${options.mode} load timed out`) })
        )
        const used = process.cpuUsage(cpu)
        return {
          report: JSON.parse(line.slice("done ".length)) as Report,
          window: { millis: performance.now() - wall, cpuMillis: (used.user + used.system) / 1000 }
        }
      }),
    (loader) => Effect.sync(() => loader.child.kill())
  )
