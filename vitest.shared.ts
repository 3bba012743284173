import { defineConfig } from "vitest/config"

/** Settings every project shares: resolve workspace packages to their sources. */
export default defineConfig({
  resolve: { conditions: ["@chronicle/source"] },
  ssr: { resolve: { conditions: ["@chronicle/source"] } },
  test: { testTimeout: 30_000, hookTimeout: 30_000 }
})
