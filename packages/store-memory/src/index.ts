/**
 * @since 0.1.0
 */
export * as InMemoryEventStore from "./InMemoryEventStore.js"
