/**
 * The engine subpath, `@chronicle/core/engine`: what a store author needs to build an `EventStore` — the storage
 * engine contract and its admin part, the append rule every engine applies, the notifier that wakes live readers,
 * position encodings, and the ids of events appended without one. Applications do not need it.
 *
 * @since 0.1.0
 */
export * as AdminEngine from "./engine/AdminEngine.js"
export * as AppendRule from "./engine/AppendRule.js"
export * as ConditionRule from "./engine/ConditionRule.js"
export * as EventIds from "./engine/EventIds.js"
export * as Notifier from "./engine/Notifier.js"
export * as PositionEncoding from "./engine/PositionEncoding.js"
export * as StorageEngine from "./engine/StorageEngine.js"
