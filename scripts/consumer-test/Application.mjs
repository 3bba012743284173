// A scratch application outside the workspace, made from `app/` (what the README's "Add Chronicle to your app" says),
// installed with npm or pnpm, and what is checked in it.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { attempt, fail, pnpm, run } from "./Commands.mjs"
import { effectCopies, installed } from "./EffectVersions.mjs"

const template = fileURLToPath(new URL("app", import.meta.url))

/** How each package manager installs, switches versions and runs the application's scripts. */
export const managers = {
  npm: {
    install: ["npm", "install", "--no-audit", "--no-fund"],
    add: ["npm", "install", "--no-audit", "--no-fund"],
    run: ["npm", "run", "--silent"]
  },
  pnpm: {
    install: [...pnpm, "install"],
    add: [...pnpm, "add"],
    run: [...pnpm, "run", "--silent"]
  }
}

/** Writes the application; the Chronicle packages come from the tarballs, the effect family at `versions`. */
export const make = (manager, scratch, packed, versions) => {
  const app = path.join(scratch, `${manager}-app`)
  for (const entry of ["package.json", "tsconfig.json", "src", "test"]) {
    fs.cpSync(path.join(template, entry), path.join(app, entry), { recursive: true })
  }
  if (manager === "pnpm")
    fs.copyFileSync(path.join(template, "pnpm-workspace.yaml"), path.join(app, "pnpm-workspace.yaml"))
  const manifest = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8"))
  for (const dependencies of [manifest.dependencies, manifest.devDependencies]) {
    for (const name of Object.keys(dependencies)) {
      const tarball = packed.find((p) => p.name === name)
      if (tarball !== undefined) dependencies[name] = `file:${path.relative(app, tarball.file)}`
      if (name in versions) dependencies[name] = versions[name]
    }
  }
  fs.writeFileSync(path.join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
  return app
}

/** Installs `versions` of the effect family into the application, leaving everything else as it is. */
export const switchTo = (app, manager, versions) => {
  const specs = Object.entries(versions).map(([name, version]) => `${name}@${version}`)
  run(`${manager} installing ${specs.join(" ")}`, [...managers[manager].add, ...specs], { cwd: app })
}

/**
 * Checks the installed application: one effect, the effect family at `versions`; type-checks and builds it strictly,
 * runs its program in memory, on SQLite and on PostgreSQL (a new database at `postgresUrl`) and over HTTP (a server of
 * @chronicle/http, its typed client), and its tests from vitest and from node:test.
 */
export const exercise = (app, manager, end, versions, postgresUrl) => {
  const copies = effectCopies(app)
  if (copies.length !== 1)
    fail(`${manager} at the ${end} end: ${copies.length} copies of effect (${copies.join(", ")})`)
  for (const [name, version] of Object.entries(versions)) {
    const found = installed(app, name)
    if (found !== version) fail(`${manager} at the ${end} end installed ${name}@${found}, not ${version}`)
  }
  console.log(`  one copy of effect, ${copies[0]}; the @effect/* peers at the ${end} end`)
  if (manager === "npm") {
    const tree = attempt("npm", ["ls", "--all"], { cwd: app })
    if (tree.status !== 0) fail(`npm ls --all finds an invalid or missing dependency:\n${tree.output}`)
  }
  const script = (name, ...args) =>
    run(`${manager} run ${name}`, [...managers[manager].run, name, ...args], { cwd: app })
  script("build")
  const output = script("start", path.join(app, `${end}.db`), postgresUrl)
  const expected = "list milk, eggs at version 2, balance 2500 at version 2"
  for (const store of ["memory", "sqlite", "postgres"]) {
    if (!output.includes(`${store}: ${expected}`))
      fail(`the program on ${store} did not print "${expected}":\n${output}`)
  }
  const overHttp = "http: appended 2 events, read tea, jam at version 2"
  if (!output.includes(overHttp)) fail(`the program did not print "${overHttp}" (@chronicle/http):\n${output}`)
  script("test:vitest")
  script("test:node")
}

/**
 * An effect older than the range: installing it names the peer range the packages need (npm and pnpm warn; npm would
 * refuse it in a fresh install, and is then forced), and then `@chronicle/core` refuses to load, naming the version.
 */
export const refuses = (app, manager, older, range) => {
  const spec = `effect@${older}`
  const added = attempt(...split([...managers[manager].add, spec]), { cwd: app })
  const named = manager === "npm" ? `peer effect@"${range}" from @chronicle/` : `unmet peer effect@${range}`
  if (!added.output.includes(named))
    fail(`${manager} installed ${spec} without naming the peer range:\n${added.output}`)
  if (added.status !== 0) {
    const forced = attempt(...split([...managers[manager].add, "--force", spec]), { cwd: app })
    if (forced.status !== 0) fail(`${manager} could not install ${spec}, even forced:\n${forced.output}`)
  }
  const load = attempt(process.execPath, ["--input-type=module", "-e", 'await import("@chronicle/core")'], { cwd: app })
  if (load.status === 0 || !load.output.includes(`but effect ${older} is loaded`)) {
    fail(`@chronicle/core loaded on effect ${older} without the readable refusal:\n${load.output}`)
  }
  console.log(`  effect ${older}: ${manager} names the peer range; @chronicle/core refuses to load:`)
  console.log(`    ${load.output.split("\n").find((line) => line.includes("Chronicle needs effect"))}`)
}

const split = ([command, ...args]) => [command, args]
