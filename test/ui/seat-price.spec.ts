/**
 * The seat price (Settings › Accounts) and what the seat holders view does with it, plus "Export list…", at the
 * window's real size in light and dark: set, refused, cleared; the cost line appearing; the export's outcomes. The
 * fake main answers as the engine does (its priced list is built with the engine's own rules, fixtures.ts).
 */
import type { Page } from '@playwright/test'
import type { SettingsPatch } from '../../common/contract'
import { DEFAULT_SETTINGS } from '../../common/settings'
import { seatCost } from '../../main/core/seat-cost'
import { applyPatch } from '../../main/core/settings'
import { account, appState, pricedSeatHoldersView, STATES, settingsView } from './fixtures'
import { callsTo, expect, inViewport, openWindow, screenshot, seriousA11yViolations, test } from './harness'

const GBP_40 = { amount: 40, per: 'month', currency: 'GBP' } as const
const EUR_40 = { amount: 40, per: 'month', currency: 'EUR' } as const

async function accountsGroup(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Accounts', exact: true }).click()
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode at 380 × 560`, () => {
    test('with no price, the seat holders view leads to the field; once set there, it says what the free seat costs', async ({
      page,
    }) => {
      await openWindow(
        page,
        {
          state: STATES.low.state,
          pricedSeatHolders: { kind: 'holders', view: pricedSeatHoldersView(GBP_40, 1) },
        },
        scheme,
      )
      await page.getByRole('button', { name: 'Free a seat' }).click()
      await expect(page.locator('#seat-holders-cost')).toHaveText(
        'What free seats cost shows here once you give a seat price. Set a seat price',
      )
      expect(await seriousA11yViolations(page)).toEqual([])
      await page.getByRole('button', { name: 'Set a seat price' }).click()

      // Settings › Accounts, the keyboard on the amount, the currency the locale's own (en-GB: pounds).
      const amount = page.getByLabel('Price of one seat')
      await expect(amount).toBeFocused()
      await expect(page.getByRole('tab', { name: 'Accounts', exact: true })).toHaveAttribute(
        'aria-selected',
        'true',
      )
      await expect(page.getByLabel('Currency')).toHaveValue('GBP')
      await expect(page.getByLabel('Currency').locator('option:checked')).toHaveText('GBP · British Pound')
      await expect(page.getByLabel('Billed')).toHaveValue('month')
      await amount.fill('40')
      await amount.press('Tab')
      await expect(page.locator('#seat-price-saved')).toHaveText('Saved')
      expect(await inViewport(page, '#seat-price-saved')).toBe(true)
      await expect(page.locator('#seat-price-shown')).toHaveText('£40.00 a seat per month.')
      expect(await callsTo(page, 'updateSettings')).toEqual([[{ seatPrice: GBP_40 }]])
      expect(await seriousA11yViolations(page)).toEqual([])
      expect(await screenshot(page, `settings-seat-price-${scheme}`), 'Accounts still fits the window').toBe(
        false,
      )

      await page.getByRole('tab', { name: 'Overview' }).click()
      await page.getByRole('button', { name: 'Free a seat' }).click()
      await expect(page.locator('#seat-holders-cost')).toHaveText(
        '1 free seat costs about £40 a month (£480 a year).',
      )
      await expect(page.locator('#seat-holders-renewal')).toHaveText(
        'At least 1 seat stayed free over the last 90 days: you could renew with 1 fewer (≈ £480 a year).',
      )
      expect(await page.getByRole('button', { name: 'Set a seat price' }).count()).toBe(0)
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `seat-holders-priced-${scheme}`)
    })

    test('with a seat price, the overview says what the free seats cost, and still fits the window', async ({
      page,
    }) => {
      const priced = appState([account({ seatCost: seatCost(EUR_40, 3, 'en-GB') })])
      await openWindow(page, { state: priced, settings: settingsView({ seatPrice: EUR_40 }) }, scheme)
      await expect(page.locator('#free-seats-cost')).toHaveText(
        '3 free seats cost about €120 a month (€1,440 a year).',
      )
      expect(await inViewport(page, '#free-seats-cost')).toBe(true)
      expect(await seriousA11yViolations(page)).toEqual([])
      expect(await screenshot(page, `ok-priced-${scheme}`), 'the overview fits the window').toBe(false)
      // Without a price the overview does not ask for one: that offer is the seat holders view's.
      await page.evaluate((state) => window.__fake?.push(state), STATES.ok.state)
      await expect(page.locator('#free-seats-cost')).toHaveCount(0)
      await expect(page.getByRole('button', { name: 'Set a seat price' })).toHaveCount(0)
    })

    test('a price the rules refuse is said at the field and never sent; the saved price and the typing stay', async ({
      page,
    }) => {
      await openWindow(page, { settings: settingsView({ seatPrice: EUR_40 }) }, scheme)
      await accountsGroup(page)
      const amount = page.getByLabel('Price of one seat')
      await expect(amount).toHaveValue('40')
      await expect(amount).toHaveAttribute('aria-description', 'Empty it for no price.')
      await expect(page.getByLabel('Currency')).toHaveValue('EUR')
      const error = page.locator('#seat-price-error')
      const stays = 'Nothing was saved: the price stays €40.00 a seat per month.'

      await amount.fill('-5')
      await amount.press('Tab')
      await expect(error).toHaveText(`A price cannot be negative. ${stays}`)
      await expect(amount).toHaveAttribute('aria-invalid', 'true')
      await expect(amount).toHaveValue('-5')
      await expect(page.locator('#seat-price-shown')).toBeHidden()
      expect(await seriousA11yViolations(page)).toEqual([])
      expect(
        await screenshot(page, `settings-seat-price-refused-${scheme}`),
        'the refusal fits the window',
      ).toBe(false)

      await amount.fill('1000001')
      await amount.press('Tab')
      await expect(error).toHaveText(`A seat price is at most 1,000,000. ${stays}`)

      // Not a number: what Chromium lets a person type into a number field but cannot read as one.
      await amount.selectText()
      await amount.pressSequentially('5-')
      await amount.press('Tab')
      await expect(error).toHaveText(`That is not a number: type an amount such as 40 or 12.50. ${stays}`)
      // Changing the period or currency with a refused amount sends nothing either.
      await page.getByLabel('Billed').selectOption('year')
      await expect(error).toContainText(stays)
      expect(await callsTo(page, 'updateSettings')).toEqual([])
      // The engine's own rules refuse what the field refused.
      for (const amountTyped of [-5, 1_000_001]) {
        const patch: SettingsPatch = { seatPrice: { ...EUR_40, amount: amountTyped } }
        expect(() => applyPatch(DEFAULT_SETTINGS, patch)).toThrow(/Seat price must be/)
      }

      await amount.fill('480')
      await amount.press('Tab')
      await expect(page.locator('#seat-price-saved')).toHaveText('Saved')
      await expect(error).toHaveText('')
      await expect(amount).not.toHaveAttribute('aria-invalid', 'true')
      await expect(page.locator('#seat-price-shown')).toHaveText('€480.00 a seat per year.')
      expect(await callsTo(page, 'updateSettings')).toEqual([
        [{ seatPrice: { amount: 480, per: 'year', currency: 'EUR' } }],
      ])
    })

    test('clearing the amount removes the price, and the choice survives reopening the window', async ({
      page,
    }) => {
      await openWindow(page, { settings: settingsView({ seatPrice: EUR_40 }) }, scheme)
      await accountsGroup(page)
      const amount = page.getByLabel('Price of one seat')
      await amount.fill('')
      await amount.press('Tab')
      await expect(page.locator('#seat-price-saved')).toHaveText('Saved')
      await expect(page.locator('#seat-price-shown')).toHaveText(
        'None set: with one, Seat Tray says what free seats cost.',
      )
      expect(await callsTo(page, 'updateSettings')).toEqual([[{ seatPrice: null }]])
      expect(() => applyPatch(DEFAULT_SETTINGS, { seatPrice: null })).not.toThrow()
      // Clearing what is already clear asks nothing.
      await amount.press('Shift+Tab')
      await amount.press('Tab')
      await page.reload()
      await accountsGroup(page)
      await expect(page.getByLabel('Price of one seat')).toHaveValue('')
      await page.getByLabel('Currency').selectOption('USD')
      expect(await callsTo(page, 'updateSettings')).toEqual([])
    })

    test('“Export list…” asks main to save the list it holds, and says where it went, that nothing was saved, or why', async ({
      page,
    }) => {
      await openWindow(page, { state: STATES.out.state }, scheme)
      await page.getByRole('button', { name: 'Free a seat' }).click()
      const button = page.getByRole('button', { name: 'Export list…' })
      await expect(button).toHaveAttribute(
        'aria-description',
        'Saves names and emails to a CSV file you choose',
      )
      expect(await inViewport(page, '#export-holders')).toBe(true)
      const result = page.locator('#export-holders-result')
      await button.click()
      await expect(result).toHaveText('Saved to /home/office/Documents/seat-holders-acme-ltd-2026-11-27.csv.')
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `seat-holders-exported-${scheme}`)

      await page.evaluate(() => window.__fake?.setExportHoldersResult({ saved: false }))
      await button.click()
      await expect(result).toHaveText('Export cancelled: nothing was saved.')
      const full = 'Seat Tray could not save the CSV file: the disk is full. Nothing was lost.'
      await page.evaluate((problem) => window.__fake?.setExportHoldersResult({ saved: false, problem }), full)
      await button.click()
      await expect(result).toHaveText(full)
      // Only the account crosses: the rows are main's, never the window's.
      expect(await callsTo(page, 'exportSeatHolders')).toEqual([['acme'], ['acme'], ['acme']])
      expect(await callsTo(page, 'getSeatHolders')).toEqual([['acme']])
    })
  })
}
