// `pnpm test:mutation [stryker options]`: StrykerJS over the kernel (stryker.config.mjs), incremental.
//
// Stryker writes its incremental file with the results of the files it mutated in this run only, so a run of one file
// (`--mutate <path>`) would drop every other file's results. This runs Stryker on a working copy of the committed
// reports/stryker-incremental.json and merges the run's results back into it: a file-by-file run keeps the rest.
import { spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"

const committed = "reports/stryker-incremental.json"
const working = "reports/mutation/stryker-incremental.run.json"

mkdirSync("reports/mutation", { recursive: true })
if (existsSync(committed)) copyFileSync(committed, working)
const stryker = spawnSync(
  "stryker",
  ["run", "stryker.config.mjs", "--incrementalFile", working, ...process.argv.slice(2)],
  { stdio: "inherit", shell: process.platform === "win32" }
)
if (stryker.status !== 0 || !existsSync(working)) process.exit(stryker.status ?? 1)

const run = JSON.parse(readFileSync(working, "utf-8"))
const before = existsSync(committed) ? JSON.parse(readFileSync(committed, "utf-8")) : { files: {}, testFiles: {} }
const merged = {
  ...run,
  files: { ...before.files, ...run.files },
  testFiles: { ...before.testFiles, ...run.testFiles }
}
writeFileSync(committed, `${JSON.stringify(merged, null, 2)}\n`)
console.log(`Results of ${Object.keys(run.files).length} file(s) merged into ${committed}.`)
