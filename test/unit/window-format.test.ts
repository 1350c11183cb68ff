/**
 * The window writes seat counts before it builds any Intl formatter (building the first one costs a fresh window
 * 30–70 ms). That shortcut is only allowed where it writes exactly what Intl would.
 */
import { describe, expect, it } from 'vitest'
import { writesLatinDigits } from '../../renderer/src/format'

const LOCALES = [
  'en',
  'en-GB',
  'en-US',
  'en-IN',
  'de-DE',
  'de-CH',
  'fr-FR',
  'fr-CA',
  'es-ES',
  'es-MX',
  'it',
  'pt-BR',
  'nl',
  'sv',
  'da',
  'nb',
  'fi',
  'pl',
  'cs',
  'hu',
  'ro',
  'tr',
  'ru',
  'uk',
  'bg',
  'sr',
  'sr-Latn',
  'el',
  'he',
  'ja',
  'zh-CN',
  'zh-TW',
  'ko',
  'vi',
  'th',
  'id',
  'ca',
  'eu',
  'ga',
  'sq',
  'sw',
  'fil',
  'mt',
  'is',
  'lt',
  'lv',
  'et',
  'ar',
  'ar-EG',
  'ar-SA',
  'ar-MA',
  'fa',
  'ps',
  'ur',
  'bn',
  'mr',
  'ne',
  'my',
  'hi',
  'ta',
  'te',
  'en-u-nu-arab',
  'de-u-nu-deva',
  'th-u-nu-thai',
]

describe('seat counts before the first formatter', () => {
  it('writes 0 to 999 exactly as Intl does in every locale it writes by itself', () => {
    const ownLocales = LOCALES.filter(writesLatinDigits)
    expect(ownLocales.length).toBeGreaterThan(40)
    const differences = ownLocales.flatMap((locale) => {
      const intl = new Intl.NumberFormat(locale)
      return Array.from({ length: 1000 }, (_, n) => n)
        .filter((n) => intl.format(n) !== String(n))
        .map((n) => `${locale}: ${n} is ${intl.format(n)}`)
    })
    expect(differences).toEqual([])
  })

  it('leaves locales with other digits, or that ask for them, to Intl', () => {
    for (const locale of ['ar-EG', 'fa', 'bn', 'mr', 'my', 'en-u-nu-arab', 'th-u-nu-thai'])
      expect(writesLatinDigits(locale), locale).toBe(false)
  })

  it('writes by itself in the languages people commonly use', () => {
    for (const locale of ['en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'zh-CN'])
      expect(writesLatinDigits(locale)).toBe(true)
  })
})
