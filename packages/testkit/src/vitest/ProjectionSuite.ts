/**
 * The conformance suite for projections, snapshots and time travel over one set of stores.
 *
 * @since 0.1.0
 */
import type { CheckpointStore, EventStore, SnapshotStore } from "@chronicle/core"
import { layer } from "@effect/vitest"
import type { Layer } from "effect"
import { projectionCases } from "./internal/projectionCases.js"
import { snapshotCases } from "./internal/snapshotCases.js"

/**
 * Registers the projection suite: the runner (catch-up, failures, decode errors, live following, independent
 * checkpoints, rebuild with progress), read models as of a position, CommandHandler snapshots (policy, schema
 * versions, the 100,000-event bound, the snapshot-plus-tail law) and time travel by version and by time.
 *
 * @since 0.1.0
 * @category suites
 */
export const projectionSuite = <E>(
  name: string,
  storesLayer: Layer.Layer<EventStore.EventStore | CheckpointStore.CheckpointStore | SnapshotStore.SnapshotStore, E>
): void =>
  layer(storesLayer, { timeout: "60 seconds" })(`Projections, snapshots and time travel: ${name}`, (it) => {
    projectionCases(it)
    snapshotCases(it)
  })
