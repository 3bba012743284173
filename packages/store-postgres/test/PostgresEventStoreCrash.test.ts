import { EventStore, type RecordedEvent } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { PostgresEventStore } from "../src/index.js"
import { spawnFixture, waitForOutput } from "./fixtures/children.js"

const url = await testDatabase("crash")

const streams = 3
const batchSize = 100

const acknowledged = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("batch "))
    .map((line) => Number(line.slice("batch ".length)))

describe("PostgresEventStore crash safety", () => {
  it.scopedLive(
    "a process killed with SIGKILL mid-append leaves every batch whole or absent, and the store works on",
    () =>
      Effect.gen(function* () {
        const child = yield* spawnFixture("batchChild.ts", [url, String(streams), String(batchSize)])
        yield* waitForOutput(child, (out) => acknowledged(out).length >= 20)
        // Kill at an arbitrary moment of the append loop.
        yield* Effect.sleep(`${Math.floor(Math.random() * 20)} millis`)
        child.process.kill("SIGKILL")
        assert.strictEqual(yield* child.exited, "SIGKILL")
        const acked = acknowledged(child.stdout())

        // The server ends the killed client's transaction when its connection drops.
        const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
        const all = yield* Effect.map(Stream.runCollect(store.readAll()), Chunk.toReadonlyArray)
        const batches = new Map<number, Array<RecordedEvent.RecordedEvent>>()
        for (const event of all) {
          const { batch } = event.data as { batch: number }
          batches.set(batch, [...(batches.get(batch) ?? []), event])
        }
        for (const [batch, events] of batches) {
          assert.strictEqual(events.length, batchSize, `batch ${batch} is partly stored`)
          assert.deepStrictEqual(
            events.map((event) => (event.data as { index: number }).index),
            Array.from({ length: batchSize }, (_, i) => i)
          )
          assert.isTrue(events.every((event) => event.streamId === `crash-${batch % streams}`))
        }
        // Every acknowledged batch survived; at most the one in flight is stored without an acknowledgement.
        for (const batch of acked) assert.isTrue(batches.has(batch), `acknowledged batch ${batch} is lost`)
        const stored = [...batches.keys()].sort((a, b) => a - b)
        assert.deepStrictEqual(
          stored,
          Array.from({ length: stored.length }, (_, i) => i)
        )
        assert.isAtMost(stored.length - acked.length, 1)

        for (let s = 0; s < streams; s++) {
          const streamId = `crash-${s}`
          const events = yield* Effect.map(Stream.runCollect(store.readStream(streamId)), Chunk.toReadonlyArray)
          assert.deepStrictEqual(
            events.map((event) => event.version),
            Array.from({ length: events.length }, (_, i) => i + 1)
          )
          const after = yield* store.append(streamId, [{ type: "AfterCrash", data: {} }])
          assert.strictEqual(after.version, events.length + 1)
        }
      }),
    60_000
  )
})
