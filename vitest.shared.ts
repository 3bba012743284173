import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

/**
 * Settings every project shares: resolve workspace packages to their sources, and deep equality that tells Effect's
 * data types apart (see scripts/vitest/EffectEquality.ts).
 */
export default defineConfig({
  resolve: { conditions: ["@chronicle/source"] },
  ssr: { resolve: { conditions: ["@chronicle/source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: [fileURLToPath(new URL("./scripts/vitest/EffectEquality.ts", import.meta.url))]
  }
})
