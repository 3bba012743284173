/** The test projects: every package and example, and the bench. */
export default ["packages/*/vitest.config.ts", "examples/*/vitest.config.ts", "bench/vitest.config.ts"]
