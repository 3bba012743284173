// The consumer test (`pnpm test:consumer`): what a user of the published packages gets, checked from outside the
// workspace. It packs every publishable package (each `prepack` builds it afresh) and inspects the tarballs, then
// installs them into two scratch applications in a temporary directory, one with npm and one with pnpm, made from
// `app/` as the README's "Add Chronicle to your app" describes. Each application is installed with the lowest effect
// of the claimed range (and the lowest @effect/* peers), then with the highest, re-installing only those. At each of
// the four points it type-checks the application strictly (skipLibCheck off), runs a program in memory, on SQLite and
// on PostgreSQL (a database of its own on an embedded server the test starts, or on CHRONICLE_PG_URL's server), and
// runs the testkit from vitest and from node:test. Last, an effect older than the range is refused at install and
// at import. The test fails on a second copy of effect, on a tarball that carries tests, build info or configuration,
// and on any warning about versions or peer dependencies.
//
// npm compiles better-sqlite3 (pnpm takes it built from its store), so npm's first install runs in the background
// while the pnpm application is checked.
//
// Options: --keep leaves the temporary directory in place; --only=npm or --only=pnpm checks one application.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { exercise, make, managers, refuses, switchTo } from "./Application.mjs"
import { run, seconds, start } from "./Commands.mjs"
import * as Postgres from "./Postgres.mjs"
import { ends, versionsIn } from "./EffectVersions.mjs"
import { pack } from "./Tarballs.mjs"

const root = fileURLToPath(new URL("../..", import.meta.url))
const keep = process.argv.includes("--keep")
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length)
const checked = Object.keys(managers).filter((manager) => only === undefined || only === manager)

const started = Date.now()
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-consumer-"))
console.log(`consumer test in ${scratch}`)

const packed = pack(root, scratch)
const range = ends(packed)
for (const end of ["lowest", "highest"]) {
  const versions = Object.entries(range[end]).map(([name, version]) => `${name}@${version}`)
  console.log(`${end} of effect ${range.range}: ${versions.join(" ")}`)
}
const older = versionsIn("effect", `<${range.lowest.effect}`).at(-1)

const apps = Object.fromEntries(checked.map((manager) => [manager, make(manager, scratch, packed, range.lowest)]))
const background =
  checked.length > 1
    ? start("npm install (in the background)", managers.npm.install, path.join(scratch, "npm-install.log"), {
        cwd: apps.npm
      })
    : undefined

const postgres = await Postgres.server(root)
console.log(`PostgreSQL for the programs: ${postgres.shown}`)
const timings = []
try {
  for (const manager of ["pnpm", "npm"].filter((name) => checked.includes(name))) {
    const app = apps[manager]
    let since = Date.now()
    console.log(`${manager}: the lowest effect`)
    if (manager === "npm" && background !== undefined) await background
    else run(`${manager} install`, managers[manager].install, { cwd: app })
    exercise(app, manager, "lowest", range.lowest, await postgres.database(`consumer_${manager}_lowest`))
    timings.push(`${manager} at the lowest ${seconds(since)}`)
    since = Date.now()
    console.log(`${manager}: the highest effect`)
    switchTo(app, manager, range.highest)
    exercise(app, manager, "highest", range.highest, await postgres.database(`consumer_${manager}_highest`))
    refuses(app, manager, older, range.range)
    timings.push(`${manager} at the highest ${seconds(since)}`)
  }
} finally {
  await postgres.stop()
}

if (keep) console.log(`kept ${scratch}`)
else fs.rmSync(scratch, { recursive: true, force: true })
console.log(`consumer test passed in ${seconds(started)} (${timings.join(", ")})`)
