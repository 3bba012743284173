/**
 * The in-memory snapshot store: the latest snapshot of each stream, kept as JSON copies.
 *
 * @since 0.1.0
 */
import { SnapshotStore, StorageError } from "@chronicle/core"
import { Effect, Layer, Option } from "effect"

/**
 * A fresh, empty in-memory `SnapshotStore`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<SnapshotStore.SnapshotStore["Type"]> = Effect.sync(() => {
  const snapshots = new Map<
    string,
    { readonly version: number; readonly schemaVersion: string; readonly json: string }
  >()
  return {
    load: (streamId) =>
      Effect.sync(() =>
        Option.map(Option.fromNullable(snapshots.get(streamId)), ({ json, schemaVersion, version }) => ({
          streamId,
          version,
          schemaVersion,
          state: JSON.parse(json) as unknown
        }))
      ),
    save: (snapshot) =>
      Effect.try({
        try: () => {
          const stored = snapshots.get(snapshot.streamId)
          if (stored !== undefined && stored.version > snapshot.version) return
          const json = JSON.stringify(snapshot.state)
          if (json === undefined) throw new Error("the state has no JSON form")
          snapshots.set(snapshot.streamId, { version: snapshot.version, schemaVersion: snapshot.schemaVersion, json })
        },
        catch: StorageError.of("SnapshotStore.save")
      }),
    delete: (streamId) =>
      Effect.sync(() => {
        snapshots.delete(streamId)
      })
  }
})

/**
 * A Layer providing a fresh, empty in-memory `SnapshotStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SnapshotStore.SnapshotStore> = Layer.effect(SnapshotStore.SnapshotStore, make)
