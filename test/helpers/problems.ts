/** What a failing call told the person: the Problem its SeatTrayError carries (and nothing but a SeatTrayError). */
import { expect } from 'vitest'
import type { Problem } from '../../common/problems'
import { SeatTrayError } from '../../main/core/errors'

export function problemOf(run: () => unknown): Problem {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(SeatTrayError)
    return (error as SeatTrayError).problem
  }
  throw new Error('expected a SeatTrayError')
}

export async function problemOfRejection(promise: Promise<unknown>): Promise<Problem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SeatTrayError)
  return (error as SeatTrayError).problem
}
