/**
 * The check that the `effect` this package runs on is one Chronicle supports. It runs once, when `@chronicle/core` is
 * first imported, and throws a readable error instead of letting a mismatched runtime fail deep inside a fiber. The
 * range is the `effect` peer dependency range of every Chronicle package (a test keeps the two equal). Reading the
 * version is a function call on the already loaded `effect`: no I/O, nothing else happens at import.
 *
 * An `effect` whose exports no longer match (another major) is refused by ESM linking before this module runs; the
 * install-time peer dependency warning is the first line of defence, this check the second.
 *
 * @internal
 */
import { ModuleVersion } from "effect"

/** The lowest supported version; every later 3.x is supported too. */
const minimum = { major: 3, minor: 22, patch: 1 } as const

/** The supported range, written as the peer dependencies write it. */
export const supportedRange = `^${minimum.major}.${minimum.minor}.${minimum.patch}`

/** Why `version` is not supported, or `undefined` when it is (or does not read as a version at all). */
export const problem = (version: string): string | undefined => {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (match === null) return undefined
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const supported =
    major === minimum.major && (minor > minimum.minor || (minor === minimum.minor && patch >= minimum.patch))
  return supported
    ? undefined
    : `Chronicle needs effect ${supportedRange} (3.${minimum.minor}.${minimum.patch} or a later 3.x), but effect ` +
        `${version} is loaded. Install a supported effect in the application; \`npm ls effect\` or ` +
        "`pnpm why effect` shows every copy it has."
}

const found = problem(ModuleVersion.getCurrentVersion())
if (found !== undefined) throw new Error(found)
