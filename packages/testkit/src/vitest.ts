/**
 * The testkit's vitest registrations (`@chronicle/testkit/vitest`): the conformance suites every store runs, and the
 * handler laws as a suite. Needs `vitest` and `@effect/vitest` in the application.
 *
 * @since 0.1.0
 */
export * from "./vitest/CheckpointStoreSuite.js"
export * from "./vitest/EventStoreSuite.js"
export * from "./vitest/HandlerLawsSuite.js"
export * from "./vitest/ProjectionSuite.js"
export * from "./vitest/SnapshotStoreSuite.js"
export * from "./vitest/StorageFaultSuite.js"
export * from "./vitest/StoreAdminSuite.js"
