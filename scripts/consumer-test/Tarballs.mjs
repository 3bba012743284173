// Packing the publishable packages and checking what each tarball carries.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fail, pnpm, run } from "./Commands.mjs"

/** What a tarball must not carry. */
const forbidden = [
  [/\.tsbuildinfo$/, "build info"],
  [/(^|\/)test\//, "tests"],
  [/\.test\.[cm]?[jt]s$/, "tests"],
  [/(^|\/)vitest\.config\./, "a vitest configuration"],
  [/(^|\/)tsconfig[^/]*\.json$/, "a tsconfig"],
  [/(^|\/)build\//, "typecheck output"]
]

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"))

/** The workspace's publishable packages: every package under packages/ that is not private. */
export const publishable = (root) =>
  fs
    .readdirSync(path.join(root, "packages"))
    .filter((dir) => fs.existsSync(path.join(root, "packages", dir, "package.json")))
    .map((dir) => readJson(path.join(root, "packages", dir, "package.json")))
    .filter((manifest) => manifest.private !== true)

/** Unpacks a tarball and fails on anything a user should not get, or on anything they need that is missing. */
const inspect = (name, file, into) => {
  fs.mkdirSync(into, { recursive: true })
  execFileSync("tar", ["-xzf", file, "-C", into])
  const base = path.join(into, "package")
  const files = fs
    .readdirSync(base, { recursive: true })
    .filter((entry) => fs.statSync(path.join(base, entry)).isFile())
  for (const entry of files) {
    for (const [pattern, what] of forbidden)
      if (pattern.test(entry)) fail(`${name}'s tarball carries ${what}: ${entry}`)
  }
  for (const required of ["README.md", "LICENSE", "package.json"]) {
    if (!files.includes(required)) fail(`${name}'s tarball has no ${required}`)
  }
  const manifest = readJson(path.join(base, "package.json"))
  if (JSON.stringify(manifest).includes("workspace:")) fail(`${name}'s manifest still has a workspace: range`)
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    for (const target of Object.values(conditions)) {
      if (!fs.existsSync(path.join(base, target))) fail(`${name} exports ${subpath} as ${target}, not in the tarball`)
    }
  }
  for (const map of files.filter((entry) => entry.endsWith(".map"))) {
    for (const source of readJson(path.join(base, map)).sources) {
      if (!fs.existsSync(path.join(base, path.dirname(map), source)))
        fail(`${name}: ${map} points at ${source}, missing`)
    }
  }
  return { manifest, count: files.length }
}

/**
 * Packs every publishable package into `scratch/tarballs` (each package's `prepack` cleans and builds it) and inspects
 * each tarball; returns, per package, its name, tarball, packed manifest, size and file count.
 */
export const pack = (root, scratch) => {
  const packages = publishable(root)
  const tarballs = path.join(scratch, "tarballs")
  console.log(`packing ${packages.map((manifest) => manifest.name).join(", ")}`)
  run(
    "pnpm pack, each prepack building",
    [...pnpm, "--recursive", "--filter", "./packages/*", "pack", "--pack-destination", tarballs],
    { cwd: root }
  )
  return packages.map(({ name, version }) => {
    const file = path.join(tarballs, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`)
    if (!fs.existsSync(file)) fail(`no tarball for ${name} (${file})`)
    const { count, manifest } = inspect(name, file, path.join(scratch, "unpacked", name))
    const size = fs.statSync(file).size
    console.log(`  ${name}: ${(size / 1024).toFixed(1)} kB, ${count} files`)
    return { name, file, manifest, size, count }
  })
}
