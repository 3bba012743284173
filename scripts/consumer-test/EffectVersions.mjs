// The effect family an application provides (effect and the @effect/* peers): which versions the packages claim, and
// which copies an installed application really has.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { userEnv } from "./Commands.mjs"

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"))

/** Every published version a range matches, oldest first (`npm view` lists them; prereleases are left out). */
export const versionsIn = (name, range) => {
  const view = ["view", `${name}@${range}`, "version", "--json"]
  const listed = JSON.parse(execFileSync("npm", view, { encoding: "utf8", env: userEnv }))
  const numbers = (version) => version.split(".").map(Number)
  const older = (a, b) => numbers(a).reduce((order, n, i) => order || n - numbers(b)[i], 0)
  return [listed].flat().sort(older)
}

/**
 * The effect family at both ends of the caret ranges the packed packages declare as (non-optional) peers: the lowest
 * is each range's base version, the highest the newest version published in it.
 */
export const ends = (packed) => {
  const peers = Object.assign({}, ...packed.map((p) => p.manifest.peerDependencies))
  const optional = new Set(packed.flatMap((p) => Object.keys(p.manifest.peerDependenciesMeta ?? {})))
  const family = Object.keys(peers).filter(
    (name) => (name === "effect" || name.startsWith("@effect/")) && !optional.has(name)
  )
  return {
    range: peers.effect,
    lowest: Object.fromEntries(family.map((name) => [name, peers[name].replace(/^\^/, "")])),
    highest: Object.fromEntries(family.map((name) => [name, versionsIn(name, peers[name]).at(-1)]))
  }
}

/**
 * The versions of every package named `effect` the application can reach: a walk from its node_modules through each
 * package's own node_modules and the directory it sits in (where pnpm links its dependencies), by real path. Orphans
 * pnpm keeps in node_modules/.pnpm for a while after an install are not reachable, so not counted.
 */
export const effectCopies = (app) => {
  const found = new Set()
  const seen = new Set()
  const visitModules = (modules) => {
    if (!fs.existsSync(modules)) return
    for (const entry of fs.readdirSync(modules)) {
      const dir = path.join(modules, entry)
      if (entry.startsWith("@")) for (const scoped of fs.readdirSync(dir)) visitPackage(path.join(dir, scoped))
      else if (!entry.startsWith(".")) visitPackage(dir)
    }
  }
  const visitPackage = (dir) => {
    const real = fs.realpathSync(dir)
    if (seen.has(real)) return
    seen.add(real)
    if (path.basename(real) === "effect" && readJson(path.join(real, "package.json")).name === "effect") found.add(real)
    visitModules(path.join(real, "node_modules"))
    const parent = path.dirname(real)
    visitModules(path.basename(parent).startsWith("@") ? path.dirname(parent) : parent)
  }
  visitModules(path.join(app, "node_modules"))
  return [...found].map((dir) => readJson(path.join(dir, "package.json")).version)
}

/** The version of `name` the application resolves from its root. */
export const installed = (app, name) => readJson(path.join(app, "node_modules", name, "package.json")).version
