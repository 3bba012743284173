/**
 * The handler laws as a vitest suite over one store.
 *
 * @since 0.1.0
 */
import type { EventStore } from "@chronicle/core"
import { layer } from "@effect/vitest"
import type { Layer } from "effect"
import * as HandlerLaws from "../HandlerLaws.js"

/**
 * Registers `HandlerLaws.check` over a store: for generated command sequences, replaying the stored events gives the
 * handler's state and version, and refused commands record nothing. The layer provides the `EventStore` (and whatever
 * else the handler needs, such as a `SnapshotStore`).
 *
 * @since 0.1.0
 * @category suites
 */
export const handlerLawsSuite = <C, E extends { readonly _tag: string }, S, Err, R = EventStore.EventStore, LE = never>(
  name: string,
  // R comes from the options (the handler's needs), never from the layer, which may provide more (a store's
  // StoreAdmin, ...).
  storeLayer: Layer.Layer<EventStore.EventStore | NoInfer<R>, LE>,
  options: HandlerLaws.Options<C, E, S, Err, R>
): void =>
  layer(storeLayer, { timeout: "60 seconds" })(`Handler laws: ${name}`, (it) => {
    it.effect(
      "replaying the stored events gives the handler's state and version; refused commands record nothing",
      () => HandlerLaws.check(options),
      120_000
    )
  })
