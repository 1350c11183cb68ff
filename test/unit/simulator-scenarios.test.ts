import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEMO_PHASE_MS, SCENARIOS, seatsAt } from '../../main/demo/scenarios'

const MINUTE = 60_000
const free = (s: { purchased: number; active: number }) => s.purchased - s.active

describe('how the simulated org’s seats move with the clock', () => {
  it("keeps 25 purchased and 20 active in 'steady', however long it runs", () => {
    expect(seatsAt('steady', 0)).toEqual({ purchased: 25, active: 20 })
    expect(seatsAt('steady', 365 * 24 * 60 * MINUTE)).toEqual({ purchased: 25, active: 20 })
  })

  it("takes one seat a minute in 'filling' and stops at none free", () => {
    expect([0, 1, 2, 4, 5, 60].map((m) => free(seatsAt('filling', m * MINUTE)))).toEqual([5, 4, 3, 1, 0, 0])
  })

  it("starts full in 'freed', stays full for two minutes, then frees a seat a minute up to five", () => {
    expect([0, 1, 2, 3, 6, 60].map((m) => free(seatsAt('freed', m * MINUTE)))).toEqual([0, 0, 1, 2, 5, 5])
  })

  it('loops the demo through plenty free, one left, none left and freed, then starts over', () => {
    const phases = [0, 1, 2, 3, 4].map((p) => free(seatsAt('demo', p * DEMO_PHASE_MS + 1000)))
    expect(phases).toEqual([5, 1, 0, 3, 5])
  })

  it('never has more active seats than purchased, nor a negative count, in any scenario at any time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS),
        fc.integer({ min: -MINUTE, max: 400 * 24 * 60 * MINUTE }),
        (s, t) => {
          const seats = seatsAt(s, t)
          return seats.active >= 0 && seats.active <= seats.purchased
        },
      ),
    )
  })
})
