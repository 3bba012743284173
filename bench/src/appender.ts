/**
 * One process of `append-processes` (see `Processes`): connects, prints `ready`, waits for a line on stdin, appends its
 * single events round-robin over streams of its own, each with an exact expected version, then prints
 * `done <CPU milliseconds>` and exits.
 *
 * Usage: appender.js --store bare-pg|postgres --url URL --events N --streams S --index I
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import { BankAccount } from "@chronicle/bank-account"
import { EventStore, ExpectedVersion } from "@chronicle/core"
import { PostgresEventStore } from "@chronicle/store-postgres"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import * as BarePgStore from "./BarePgStore.js"
import * as Payload from "./Payload.js"
import * as Seed from "./Seed.js"

const { values } = parseArgs({
  options: {
    store: { type: "string" },
    url: { type: "string" },
    events: { type: "string" },
    streams: { type: "string" },
    index: { type: "string" }
  }
})
const url = values.url!
const events = Number(values.events)
const streams = Array.from({ length: Number(values.streams) }, (_, n) =>
  Seed.accountStream(Number(values.index) * 1_000 + n)
)

const go = new Promise<void>((resolve) => process.stdin.once("data", () => resolve()))

/** Appends one event to stream `i % streams`, at the version that stream is at. */
const versions = new Array<number>(streams.length).fill(0)

const bare = async () => {
  const store = await BarePgStore.open(url)
  process.stdout.write("ready\n")
  await go
  const started = process.cpuUsage()
  for (let i = 0; i < events; i++) {
    const s = i % streams.length
    versions[s] = await store.append(streams[s]!, [Payload.encode(Seed.deposit(versions[s]! + 1))], versions[s]!)
  }
  const cpu = process.cpuUsage(started)
  await store.close()
  return (cpu.user + cpu.system) / 1000
}

const chronicle = async () => {
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(PostgresEventStore.layer({ url }), scope))
  const store = Context.get(context, EventStore.EventStore)
  process.stdout.write("ready\n")
  await go
  const started = process.cpuUsage()
  await Effect.runPromise(
    Effect.gen(function* () {
      for (let i = 0; i < events; i++) {
        const s = i % streams.length
        const encoded = yield* BankAccount.codec.encodeAll(Seed.deposits(versions[s]!, 1))
        const result = yield* store.append(streams[s]!, encoded, {
          expectedVersion: ExpectedVersion.exact(versions[s]!)
        })
        versions[s] = result.version
      }
    })
  )
  const cpu = process.cpuUsage(started)
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return (cpu.user + cpu.system) / 1000
}

const cpuMillis = await (values.store === "bare-pg" ? bare() : chronicle())
process.stdout.write(`done ${cpuMillis}\n`, () => process.exit(0))
