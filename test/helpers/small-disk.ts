/**
 * A real, small disk for the tests where the disk is the fault: a tmpfs of a few hundred kB mounted under /tmp, that
 * a test can fill to the last few bytes or turn read-only. Mounting needs root on Linux (CI runs as root); elsewhere
 * `smallDiskUnavailable` says why, and the tests that need it say so in one line instead of passing.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SmallDisk {
  dir: string
  /** Free bytes right now, as the file system counts them (whole pages). */
  free(): number
  /** Writes a filler file so that only about `leave` bytes stay free. */
  fillLeaving(leave: number): string
  readOnly(): void
  writable(): void
  unmount(): void
}

/** Why a small disk cannot be mounted here, or null when it can. */
export function smallDiskUnavailable(): string | null {
  if (process.platform !== 'linux') return `a tmpfs needs Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root (CI runs as root)'
  return null
}

export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'seat-small-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmdirSync(dir)
    throw new Error(`could not mount a ${bytes}-byte tmpfs at ${dir}: ${String(error)}`)
  }
  let fillers = 0
  const free = () => {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  }
  return {
    dir,
    free,
    fillLeaving(leave) {
      const file = join(dir, `filler-${fillers++}`)
      writeFileSync(file, Buffer.alloc(Math.max(0, free() - leave)))
      return file
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' })
    },
    writable() {
      execFileSync('mount', ['-o', 'remount,rw', dir], { stdio: 'pipe' })
    },
    unmount() {
      // Lazy: a descriptor a failed test left open must not leave the mount behind.
      execFileSync('umount', ['--lazy', dir], { stdio: 'pipe' })
      rmdirSync(dir)
    },
  }
}
