import { EventEmitter } from 'node:events'
import { PNG } from 'pngjs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type AppState, EMPTY_APP_STATE } from '../../common/model'
import { trayMenuTemplate } from '../../main/core/tray-menu'

/** Stand-ins for the Electron pieces tray.ts touches, recording what it asked for. */
class FakeImage {
  reps: { scaleFactor: number; buffer: Buffer }[] = []
  template = false
  addRepresentation(rep: { scaleFactor: number; buffer: Buffer }) {
    this.reps.push(rep)
  }
  setTemplateImage(on: boolean) {
    this.template = on
  }
}
class FakeTray extends EventEmitter {
  image: FakeImage
  tooltip = ''
  title = ''
  contextMenu: unknown = null
  poppedUp = 0
  constructor(image: FakeImage) {
    super()
    this.image = image
  }
  setImage(image: FakeImage) {
    this.image = image
  }
  setToolTip(text: string) {
    this.tooltip = text
  }
  setTitle(text: string) {
    this.title = text
  }
  setContextMenu(menu: unknown) {
    this.contextMenu = menu
  }
  popUpContextMenu() {
    this.poppedUp++
  }
  destroy() {}
}
type Template = { id?: string; label?: string; click?: () => void; submenu?: Template[] }[]

/** The OS theme as Electron reports it: a light or dark flag and an "updated" event when it changes. */
const fakeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false })

vi.mock('electron', () => ({
  Tray: FakeTray,
  nativeImage: { createEmpty: () => new FakeImage() },
  nativeTheme: fakeTheme,
  Menu: {
    buildFromTemplate: (template: Template) => ({
      template,
      getMenuItemById: (id: string) => template.find((t) => t.id === id),
    }),
  },
}))

const { createTray, parseNameHasOwner } = await import('../../main/platform/tray')

const state: AppState = { ...EMPTY_APP_STATE, clientConfigured: true }
const model = {
  badge: '3',
  tone: 'low' as const,
  tooltip: 'Acme: 3 of 25 free',
  accountLines: ['Acme: 3 of 25 free'],
  menu: trayMenuTemplate({ accountLines: ['Acme: 3 of 25 free'] }, state, 0),
}
const realPlatform = process.platform

function onPlatform(platform: NodeJS.Platform) {
  Object.defineProperty(process, 'platform', { value: platform })
}

afterEach(() => onPlatform(realPlatform))

function make() {
  const commands: unknown[] = []
  let clicks = 0
  const icon = createTray({
    onClick: () => clicks++,
    onCommand: (c) => commands.push(c),
  })
  return { icon, fake: icon.tray as unknown as FakeTray, commands, clicks: () => clicks }
}

describe('the tray icon', () => {
  it('draws the number into the icon at every scale factor, with the breakdown as tooltip (Windows, Linux)', () => {
    onPlatform('win32')
    const { icon, fake } = make()
    icon.render(model)
    expect(fake.image.reps.map((r) => r.scaleFactor)).toEqual([1, 1.25, 1.5, 2])
    expect(fake.image.reps.map((r) => PNG.sync.read(r.buffer).width)).toEqual([16, 20, 24, 32])
    expect(fake.tooltip).toBe('Acme: 3 of 25 free')
    expect(fake.contextMenu).not.toBeNull()
  })

  it('on macOS shows a template glyph with the number as title, and the menu on right click only', () => {
    onPlatform('darwin')
    const { icon, fake, clicks } = make()
    icon.render(model)
    expect(fake.image.template).toBe(true)
    expect(fake.title).toBe('3')
    expect(fake.contextMenu).toBeNull()
    fake.emit('right-click')
    expect(fake.poppedUp).toBe(1)
    fake.emit('click')
    expect(clicks()).toBe(1)
  })

  it('draws the badge in one colour that follows the panel when asked, and redraws when the theme changes', () => {
    onPlatform('linux')
    const { icon, fake } = make()
    const colours = () => {
      const png = PNG.sync.read(fake.image.reps[0]!.buffer)
      const seen = new Set<string>()
      for (let i = 0; i < png.data.length; i += 4)
        if (png.data[i + 3]! > 0) seen.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`)
      return [...seen]
    }
    icon.render(model)
    expect(colours().length).toBeGreaterThan(1)
    fakeTheme.shouldUseDarkColors = false
    icon.setStyle('monochrome')
    expect(colours()).toEqual(['0,0,0'])
    fakeTheme.shouldUseDarkColors = true
    fakeTheme.emit('updated')
    expect(colours()).toEqual(['255,255,255'])
    icon.setStyle('colour')
    expect(colours().length).toBeGreaterThan(1)
    // Back in colour, a theme change no longer redraws.
    const before = fake.image
    fakeTheme.emit('updated')
    expect(fake.image).toBe(before)
    expect(fakeTheme.listenerCount('updated')).toBe(0)
  })

  it('routes menu clicks to commands', () => {
    onPlatform('linux')
    const { icon, commands } = make()
    icon.render(model)
    ;(icon.menu() as unknown as { getMenuItemById(id: string): { click(): void } })
      .getMenuItemById('quit')
      .click()
    expect(commands).toEqual([{ kind: 'quit' }])
  })

  it('reads whether a StatusNotifier host is on the session bus', () => {
    expect(parseNameHasOwner('(true,)\n')).toBe(true)
    expect(parseNameHasOwner('(false,)\n')).toBe(false)
  })
})
