import { defineConfig } from "vitest/config"

/**
 * `pnpm test:e2e`: the console in a real headless Chromium (Debian's `chromium`, driven by playwright-core). Not part
 * of `pnpm test`, which needs no browser. Its one project is named here, so that the workspace's projects do not run.
 */
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { conditions: ["@chronicle/source"] },
        ssr: { resolve: { conditions: ["@chronicle/source"] } },
        test: { name: "e2e", include: ["packages/http/e2e/**/*.e2e.ts"], testTimeout: 120_000, hookTimeout: 120_000 }
      }
    ]
  }
})
