/**
 * The HTTP workloads: `@chronicle/http`'s server (`Server.layer`, as `chronicle serve` runs it) in the worker process,
 * over the store in context, on a free loopback port, and the load generator (`loader`, autocannon) in a child
 * process. Every repetition checks what the store holds or what the clients received against what was asked, so a
 * fast wrong answer cannot pass for a rate.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import { CheckpointStore, EventStore, Position, StoreAdmin } from "@chronicle/core"
import { Server } from "@chronicle/http"
import { HttpServer } from "@effect/platform"
import { Effect, Layer } from "effect"
import * as HttpLoad from "./HttpLoad.js"
import type { Latency } from "./Result.js"
import * as Seed from "./Seed.js"
import { eventsPerRead, type Params, type WorkloadName, workloads } from "./Workload.js"

/**
 * What an HTTP workload did: the events, and the window and latency the load generator measured.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly events: number
  readonly window: HttpLoad.Timed["window"]
  readonly latency: Latency | undefined
}

/**
 * An HTTP workload on the store in context.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpWorkload {
  readonly setup: (params: Params) => Effect.Effect<void, unknown, EventStore.EventStore>
  readonly run: (params: Params) => Effect.Effect<Outcome, unknown, EventStore.EventStore | StoreAdmin.StoreAdmin>
}

/** Runs `use` with the URL of a server over the store in context (checkpoints in memory: no workload uses them). */
const withServer = <A, E, R>(use: (url: string) => Effect.Effect<A, E, R>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const server = yield* HttpServer.HttpServer
      return yield* use(`http://127.0.0.1:${(server.address as HttpServer.TcpAddress).port}`)
    }).pipe(
      Effect.provide(
        Server.layer({ port: 0 }).pipe(
          Layer.provide(Layer.effect(CheckpointStore.CheckpointStore, CheckpointStore.makeInMemory()))
        )
      )
    )
  )

const connectionsOf = (name: WorkloadName) => workloads[name].connections ?? 1

const fail = (what: string) => Effect.dieMessage(what)

/** One deposit as an append's body. */
const depositBody = Effect.map(BankAccount.codec.encodeAll([Seed.deposit(1)]), (events) => JSON.stringify({ events }))

const appends =
  (name: WorkloadName) =>
  (params: Params): Effect.Effect<Outcome, unknown, EventStore.EventStore | StoreAdmin.StoreAdmin> =>
    withServer((url) =>
      Effect.gen(function* () {
        const body = yield* depositBody
        const options = {
          mode: "append",
          url,
          connections: connectionsOf(name),
          amount: params.events,
          streams: params.streams,
          prefix: BankAccount.streamId("http-"),
          body
        } as const
        const { report, window } = yield* HttpLoad.run(options, Effect.void)
        const stored = (yield* StoreAdmin.stats).events
        if (report.failed > 0 || stored !== params.events) {
          return yield* fail(`${name}: ${report.failed} requests failed, ${stored} events stored of ${params.events}`)
        }
        return { events: stored, window, latency: report.latency }
      })
    )

/** The stored data of the reads: `background` events in streams of `eventsPerRead`, unless they are in already. */
const storeStreams = (params: Params) =>
  Effect.gen(function* () {
    if (params.background / params.streams !== eventsPerRead) {
      return yield* fail(`http reads need streams of ${eventsPerRead} events`)
    }
    if (Position.isAfter(yield* EventStore.headPosition, Position.start)) return
    yield* Seed.append(Seed.plan({ ...params, events: params.background }, false))
  })

const reads =
  (name: WorkloadName) =>
  (params: Params): Effect.Effect<Outcome, unknown, EventStore.EventStore | StoreAdmin.StoreAdmin> =>
    withServer((url) =>
      Effect.gen(function* () {
        const requests = params.events / eventsPerRead
        const options = {
          mode: "read",
          url,
          connections: connectionsOf(name),
          amount: requests,
          streams: params.streams,
          prefix: BankAccount.streamId("acc-"),
          events: eventsPerRead
        } as const
        const { report, window } = yield* HttpLoad.run(options, Effect.void)
        if (report.failed > 0 || report.ok !== requests) {
          return yield* fail(`${name}: ${report.ok} whole reads of ${requests}, ${report.failed} failed`)
        }
        return { events: report.ok * eventsPerRead, window, latency: report.latency }
      })
    )

/** Live clients, each of which must receive every event the worker appends while they listen. */
const fanOut =
  (name: WorkloadName) =>
  (params: Params): Effect.Effect<Outcome, unknown, EventStore.EventStore | StoreAdmin.StoreAdmin> =>
    withServer((url) =>
      Effect.gen(function* () {
        const clients = connectionsOf(name)
        const appended = params.events / clients
        const during = Seed.append(Seed.plan({ ...params, events: appended }, false))
        const { report, window } = yield* HttpLoad.run(
          { mode: "sse", url, connections: clients, events: appended },
          during
        )
        const received = report.clients
        if (report.failed > 0 || received === undefined || received.minReceived !== appended) {
          return yield* fail(`${name}: ${report.failed} of ${clients} clients missed events or got them out of order`)
        }
        return { events: report.ok, window, latency: undefined }
      })
    )

/**
 * The HTTP workloads.
 *
 * @since 0.1.0
 * @category constants
 */
export const httpWorkloads = {
  "http-append-1": { setup: () => Effect.void, run: appends("http-append-1") },
  "http-append-50": { setup: () => Effect.void, run: appends("http-append-50") },
  "http-read-1": { setup: storeStreams, run: reads("http-read-1") },
  "http-read-50": { setup: storeStreams, run: reads("http-read-50") },
  "http-sse-100": { setup: () => Effect.void, run: fanOut("http-sse-100") }
} satisfies Record<string, HttpWorkload>
