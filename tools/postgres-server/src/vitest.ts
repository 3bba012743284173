/**
 * For test files: the run's PostgreSQL server (provided by `./globalSetup`) and a database of the test file's own,
 * dropped after the file's tests.
 *
 * @since 0.1.0
 */
import { afterAll, inject } from "vitest"
import { createDatabase } from "./index.js"
import type {} from "./globalSetup.js"

/**
 * The URL of the run's server, as its administrator.
 *
 * @since 0.1.0
 */
export const serverUrl = (): string => inject("chroniclePgUrl")

/**
 * Creates a database of this test file's own (await it at the top of the file) and drops it after the file's tests.
 *
 * @since 0.1.0
 */
export const testDatabase = async (label: string): Promise<string> => {
  const created = await createDatabase(serverUrl(), label)
  afterAll(() => created.drop())
  return created.url
}
