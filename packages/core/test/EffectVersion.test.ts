import * as fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { ModuleVersion } from "effect"
import { problem, supportedRange } from "../src/internal/effectVersion.js"

const publishable = ["core", "bank-account", "store-memory", "sql", "store-sqlite", "store-postgres", "http", "testkit"]

describe("the effect version check", () => {
  it("accepts 3.22.1 and every later 3.x", () => {
    for (const version of ["3.22.1", "3.22.4", "3.23.0", "3.30.1-beta.2"]) assert.isUndefined(problem(version), version)
  })

  it("refuses another major and an older 3.x, naming the loaded version and the supported range", () => {
    for (const version of ["4.1.0", "2.4.19", "3.21.5", "3.22.0", "3.0.0"]) {
      const message = problem(version)
      assert.include(message, `effect ${version} is loaded`)
      assert.include(message, "^3.22.1")
    }
  })

  it("leaves a version it cannot read alone", () => {
    assert.isUndefined(problem("custom"))
  })

  it("passes the effect this workspace runs on", () => {
    assert.isUndefined(problem(ModuleVersion.getCurrentVersion()))
  })

  it("checks the range every package declares as its effect peer dependency", () => {
    for (const name of publishable) {
      const manifest = JSON.parse(fs.readFileSync(new URL(`../../${name}/package.json`, import.meta.url), "utf8"))
      assert.strictEqual(manifest.peerDependencies.effect, supportedRange, name)
    }
  })
})
