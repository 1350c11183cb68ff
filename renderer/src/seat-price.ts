/**
 * Settings › Accounts › Seat price (issue 11): what one seat of the watched orgs costs, so the overview and the seat
 * holders view can say what free seats cost, and the seat holders view how many seats to renew. An amount, per month
 * or per year, in a currency (the codes Zoho bills in, named by Intl). It sits with the accounts because it is a fact
 * about the Zoho subscription, not about how Seat Tray checks; the Checks group already fills the window.
 *
 * It saves on change, like every setting; an empty amount removes the price. An amount the rules would refuse
 * (negative, over the maximum, not a number) is said at the field and never sent: the saved price stays, and the
 * typed text stays for the person to correct.
 */
import type { SettingsPatch, SettingsView } from '../../common/contract'
import type { SeatPrice } from '../../common/model'
import { SETTINGS_BOUNDS } from '../../common/settings'
import { h } from './dom'
import { field, fieldset } from './form'
import { num } from './format'

/** The currencies Zoho bills in, in the order an office manager scans for theirs. */
export const SEAT_PRICE_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'INR',
  'AUD',
  'CAD',
  'JPY',
  'CNY',
  'BRL',
  'MXN',
  'ZAR',
  'SGD',
  'AED',
  'SAR',
  'CHF',
] as const

/** Where a region's currency is one of those above; anywhere else the list starts at US dollars. */
const REGION_CURRENCY: Record<string, string> = {
  US: 'USD',
  GB: 'GBP',
  IN: 'INR',
  AU: 'AUD',
  CA: 'CAD',
  JP: 'JPY',
  CN: 'CNY',
  BR: 'BRL',
  MX: 'MXN',
  ZA: 'ZAR',
  SG: 'SGD',
  AE: 'AED',
  SA: 'SAR',
  CH: 'CHF',
  LI: 'CHF',
  ...Object.fromEntries(
    'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' ').map((r) => [r, 'EUR']),
  ),
}

/** The locale's own currency when its region says it ("en-GB" → GBP, "de" → Germany → EUR), else USD. */
export function localeCurrency(locale: string): string {
  try {
    const region = new Intl.Locale(locale).maximize().region
    return (region && REGION_CURRENCY[region]) || 'USD'
  } catch {
    return 'USD'
  }
}

/** "€40.00 a seat per month", written the way the person's locale writes money. */
export function priceWords(price: SeatPrice): string {
  const amount = new Intl.NumberFormat(undefined, { style: 'currency', currency: price.currency }).format(
    price.amount,
  )
  return `${amount} a seat per ${price.per}`
}

/** What is wrong with the amount as typed, or null when the rules would take it. */
export function amountProblem(input: HTMLInputElement): string | null {
  const { min, max } = SETTINGS_BOUNDS.seatPriceAmount
  if (input.validity.badInput) return 'That is not a number: type an amount such as 40 or 12.50.'
  if (input.validity.rangeUnderflow || input.valueAsNumber < min) return 'A price cannot be negative.'
  if (input.validity.rangeOverflow || input.valueAsNumber > max) return `A seat price is at most ${num(max)}.`
  return null
}

export interface SeatPriceSection {
  element: HTMLElement
  /** Shows what main saved (after any settings change). */
  sync(next: SettingsView): void
}

export function seatPriceSection(
  initial: SettingsView,
  save: (patch: SettingsPatch, beside?: HTMLElement) => Promise<void>,
): SeatPriceSection {
  const { min, max } = SETTINGS_BOUNDS.seatPriceAmount
  const amount = h('input', {
    id: 'seat-price-amount',
    type: 'number',
    min,
    max,
    step: 'any',
    inputmode: 'decimal',
    placeholder: 'none',
    'aria-describedby': 'seat-price-error seat-price-shown',
    'aria-description': 'Empty it for no price.',
  })
  const per = h(
    'select',
    { id: 'seat-price-per' },
    h('option', { value: 'month' }, 'per month'),
    h('option', { value: 'year' }, 'per year'),
  )
  const currency = h('select', { id: 'seat-price-currency' })
  const error = h('p', { id: 'seat-price-error', class: 'field-error' })
  const shown = h('p', { id: 'seat-price-shown', class: 'hint' })
  const saved = h('span', { class: 'saved-state', id: 'seat-price-saved', 'aria-hidden': 'true' })
  let stored = initial.seatPrice

  const fillCurrencies = (selected: string) => {
    const names = currencyNames()
    // A code set elsewhere (the CLI, an older version) stays choosable, so showing the field never changes it.
    const codes = SEAT_PRICE_CURRENCIES.includes(selected as never)
      ? [...SEAT_PRICE_CURRENCIES]
      : [selected, ...SEAT_PRICE_CURRENCIES]
    currency.replaceChildren(
      ...codes.map((code) => h('option', { value: code }, `${code} · ${names?.of(code) ?? code}`)),
    )
    currency.value = selected
  }

  const showStored = () => {
    shown.textContent = stored
      ? `${priceWords(stored)}.`
      : 'None set: with one, Seat Tray says what free seats cost.'
  }

  const showError = (text: string | null) => {
    error.textContent = text
      ? `${text} Nothing was saved${stored ? `: the price stays ${priceWords(stored)}` : ''}.`
      : ''
    if (text) amount.setAttribute('aria-invalid', 'true')
    else amount.removeAttribute('aria-invalid')
    // The refusal already names the saved price: one sentence, and the group still fits the window.
    shown.hidden = Boolean(text)
  }

  const onChange = () => {
    const problem = amountProblem(amount)
    showError(problem)
    if (problem) {
      saved.textContent = ''
      return
    }
    if (amount.value.trim() === '') {
      // An empty amount removes the price; with none saved there is nothing to do.
      if (stored) void save({ seatPrice: null }, saved)
      return
    }
    void save(
      {
        seatPrice: {
          amount: amount.valueAsNumber,
          per: per.value === 'year' ? 'year' : 'month',
          currency: currency.value,
        },
      },
      saved,
    )
  }
  for (const control of [amount, per, currency]) control.addEventListener('change', onChange)
  // Text a number field cannot read ("4..5") leaves its value empty, unchanged: no change event tells of it.
  amount.addEventListener('blur', () => {
    const problem = amountProblem(amount)
    if (problem) showError(problem)
  })

  const sync = (next: SettingsView) => {
    stored = next.seatPrice
    amount.value = stored ? String(stored.amount) : ''
    per.value = stored?.per ?? 'month'
    fillCurrencies(stored?.currency ?? localeCurrency(navigator.language))
    showError(null)
    showStored()
  }
  sync(initial)

  const element = fieldset(
    'Seat price',
    h(
      'div',
      { class: 'inline' },
      field('seat-price-amount', 'Price of one seat', amount),
      field('seat-price-per', 'Billed', per),
      saved,
    ),
    field('seat-price-currency', 'Currency', currency),
    error,
    shown,
  )
  return { element, sync }
}

/** Intl's names for currencies in the person's language ("Euro", "Pound sterling"), where this runtime has them. */
function currencyNames(): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames(undefined, { type: 'currency' })
  } catch {
    return null
  }
}
