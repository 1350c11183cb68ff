import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { STORY, type StoryId } from '../stories/story-catalogue'

/** Stories only Electron's runtime can tell (test/stories/story-catalogue.ts says why). */
const ELECTRON_ONLY: StoryId[] = ['secondLaunch']

const told = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8')

describe('the story catalogue', () => {
  it('has every story told by the test host, and the Electron-only ones by the Electron suite', () => {
    const host = told('../stories/stories.test.ts')
    const electron = told('../e2e/seat-tray.e2e.ts')
    const untold = (Object.keys(STORY) as StoryId[]).filter((id) =>
      ELECTRON_ONLY.includes(id)
        ? !electron.includes(`STORY.${id}`)
        : !host.includes(`describe(STORY.${id},`),
    )
    expect(untold).toEqual([])
  })
})
