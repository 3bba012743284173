/**
 * The vitest `globalSetup` of every test project that needs PostgreSQL: the server `CHRONICLE_PG_URL` names, or one
 * embedded server started for the whole run — shared by all the projects that list this file (each project loads it
 * on its own, so the server is kept on `globalThis` and stopped after the last project's teardown). Tests read the
 * URL with `inject("chroniclePgUrl")` (see `./vitest`).
 *
 * @since 0.1.0
 */
import type { TestProject } from "vitest/node"
import { type Server, start, urlVariable } from "./index.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The URL of the PostgreSQL server of this test run (a user that may create databases). */
    readonly chroniclePgUrl: string
  }
}

interface Shared {
  server: Promise<Server> | undefined
  users: number
}

const key = Symbol.for("@chronicle/postgres-server/shared")
const shared: Shared = ((globalThis as Record<symbol, unknown>)[key] as Shared | undefined) ?? {
  server: undefined,
  users: 0
}
;(globalThis as Record<symbol, unknown>)[key] = shared

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env[urlVariable]
  if (given !== undefined && given !== "") {
    project.provide("chroniclePgUrl", given)
    return async () => {}
  }
  shared.users++
  // Tests run with fsync off: they test what the store does, not the disk (the bench's server keeps it on).
  shared.server ??= start({ settings: { fsync: "off" } })
  const server = await shared.server
  project.provide("chroniclePgUrl", server.url)
  return async () => {
    if (--shared.users > 0) return
    shared.server = undefined
    await server.stop()
  }
}
