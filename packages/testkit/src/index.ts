/**
 * The testkit's runner-free entry: decider specifications and laws that throw plain assertion errors or return
 * Effects, usable from vitest, `node:test` or any other runner. The vitest registrations (the conformance suites and
 * `handlerLawsSuite`) are on the `@chronicle/testkit/vitest` subpath.
 *
 * @since 0.1.0
 */
export * as DeciderLaws from "./DeciderLaws.js"
export * as DeciderSpec from "./DeciderSpec.js"
export * as HandlerLaws from "./HandlerLaws.js"
