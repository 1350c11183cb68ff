import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { version, versionLine } from '../../main/core/version'

describe('the version Seat Tray reports', () => {
  it("is package.json's version, which a release bumps", () => {
    const { version: released } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    expect(version()).toBe(released)
    expect(versionLine()).toBe(`seat-tray ${released}`)
  })
})
