import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// These tests start real processes (through pnpm, tsx and node): give them time on a loaded machine.
export default mergeConfig(
  shared,
  defineProject({ test: { name: "@chronicle/example-bank-demo", testTimeout: 120_000 } })
)
