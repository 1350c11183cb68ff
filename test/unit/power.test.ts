import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { watchPower } from '../../main/platform/power'

function setup(startOnline = true) {
  const powerMonitor = new EventEmitter()
  const calls: string[] = []
  let online = startOnline
  let tick: () => void = () => {}
  const stop = watchPower(
    { pause: (r) => calls.push(`pause ${r}`), resume: (r) => calls.push(`resume ${r}`) },
    {
      powerMonitor,
      isOnline: () => online,
      setInterval: (fn) => {
        tick = fn
        return 1
      },
      clearInterval: () => {
        tick = () => {}
      },
    },
  )
  return { powerMonitor, calls, stop, setOnline: (v: boolean) => (online = v), tick: () => tick() }
}

describe('pausing checks with the computer', () => {
  it('pauses while asleep or locked and resumes after', () => {
    const { powerMonitor, calls } = setup()
    powerMonitor.emit('suspend')
    powerMonitor.emit('resume')
    powerMonitor.emit('lock-screen')
    powerMonitor.emit('unlock-screen')
    expect(calls).toEqual(['pause suspend', 'resume suspend', 'pause locked', 'resume locked'])
  })

  it('pauses once when the network goes away and resumes once when it is back', () => {
    const { calls, setOnline, tick } = setup()
    tick()
    setOnline(false)
    tick()
    tick()
    setOnline(true)
    tick()
    expect(calls).toEqual(['pause offline', 'resume offline'])
  })

  it('starts paused when launched offline', () => {
    expect(setup(false).calls).toEqual(['pause offline'])
  })

  it('stops listening on quit', () => {
    const { powerMonitor, calls, stop, setOnline, tick } = setup()
    stop()
    powerMonitor.emit('suspend')
    setOnline(false)
    tick()
    expect(calls).toEqual([])
    expect(powerMonitor.listenerCount('suspend')).toBe(0)
  })
})
