/**
 * The seat price field's currency list (renderer/src/seat-price.ts): every code on it is one the engine's rules
 * take and Intl can name, and a new price starts in the currency of the person's own locale where it can be told.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../common/settings'
import { applyPatch } from '../../main/core/settings'
import { localeCurrency, SEAT_PRICE_CURRENCIES } from '../../renderer/src/seat-price'

describe('the seat price currencies', () => {
  it('offers only codes the settings rules accept and Intl names in the person’s language', () => {
    const names = new Intl.DisplayNames('en', { type: 'currency' })
    for (const currency of SEAT_PRICE_CURRENCIES) {
      expect(() =>
        applyPatch(DEFAULT_SETTINGS, { seatPrice: { amount: 40, per: 'month', currency } }),
      ).not.toThrow()
      expect(names.of(currency), currency).not.toBe(currency)
    }
    expect(new Set(SEAT_PRICE_CURRENCIES).size).toBe(SEAT_PRICE_CURRENCIES.length)
  })

  it('starts in the locale’s own currency where its region says it, and in US dollars otherwise', () => {
    expect(localeCurrency('en-GB')).toBe('GBP')
    expect(localeCurrency('de')).toBe('EUR')
    expect(localeCurrency('fr-CH')).toBe('CHF')
    expect(localeCurrency('hi')).toBe('INR')
    expect(localeCurrency('ja')).toBe('JPY')
    expect(localeCurrency('pt-BR')).toBe('BRL')
    expect(localeCurrency('en')).toBe('USD')
    // Sweden's krona is not one Zoho bills in: the list's first currency, not a guess.
    expect(localeCurrency('sv-SE')).toBe('USD')
    expect(localeCurrency('not a locale')).toBe('USD')
  })
})
