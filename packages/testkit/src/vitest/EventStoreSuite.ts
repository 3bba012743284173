/**
 * The conformance suite every `EventStore` implementation runs: one line per store, the same guarantees for all.
 *
 * @since 0.1.0
 */
import type { EventStore } from "@chronicle/core"
import { layer } from "@effect/vitest"
import type { Layer } from "effect"
import { appendCases } from "./internal/appendCases.js"
import { concurrencyCases } from "./internal/concurrencyCases.js"
import { conditionCases } from "./internal/conditionCases.js"
import { decisionCases } from "./internal/decisionCases.js"
import { handlerCases } from "./internal/handlerCases.js"
import { idempotencyCases } from "./internal/idempotencyCases.js"
import { queryCases } from "./internal/queryCases.js"
import { readCases } from "./internal/readCases.js"
import { subscribeCases } from "./internal/subscribeCases.js"

/**
 * Registers the conformance suite for one store. The layer is built once for the suite; every case uses its own
 * streams, so the cases also prove that concurrent users do not disturb each other.
 *
 * Covers: version numbering; the four ExpectedVersion modes succeeding and failing (with the real version); atomic
 * batches; input validation; stream id validation; metadata, ids and Clock time; readStream ranges forward and
 * backward; readAll order and paging; decode errors; idempotent appends; racing and concurrent writers; and
 * subscriptions catching up then going live; tags, reads by query with their marker, filtered reads and
 * subscriptions (query, category); conditional and multi-stream appends, alone and concurrent; and the CommandHandler
 * over the store.
 *
 * @since 0.1.0
 * @category suites
 */
export const eventStoreSuite = <E>(name: string, storeLayer: Layer.Layer<EventStore.EventStore, E>): void =>
  layer(storeLayer, { timeout: "60 seconds" })(`EventStore conformance: ${name}`, (it) => {
    appendCases(it)
    readCases(it)
    idempotencyCases(it)
    concurrencyCases(it)
    subscribeCases(it)
    queryCases(it)
    conditionCases(it)
    decisionCases(it)
    handlerCases(it)
  })
