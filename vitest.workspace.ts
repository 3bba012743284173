/** The test projects: every package and example that has a vitest config. */
export default ["packages/*/vitest.config.ts", "examples/*/vitest.config.ts"]
