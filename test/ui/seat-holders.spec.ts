/**
 * The seat holders view (issue 11) at the window's real size, light and dark: "Free a seat" leads to who holds the
 * seats, the invites that could be freed first, everyone else by profile and role, a search, and each person's page
 * in Zoho CRM. It asks main once per opening (a search or a redraw never asks again), and a sign-in without the
 * users scope is an offer, not an error.
 */
import type { Page } from '@playwright/test'
import type { AccountView, PendingCounting } from '../../common/model'
import { STATES, seatHoldersView } from './fixtures'
import { callsTo, expect, inViewport, openWindow, screenshot, seriousA11yViolations, test } from './harness'

/** The visible names in one list of people, top to bottom. */
async function names(page: Page, list: string): Promise<string[]> {
  return page.getByRole('list', { name: list }).locator('.holder-name').allInnerTexts()
}

async function openFromOutState(page: Page, over = {}, scheme: 'light' | 'dark' = 'light'): Promise<void> {
  await openWindow(page, { state: STATES.out.state, ...over }, scheme)
  await page.getByRole('button', { name: 'Free a seat' }).click()
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode at 380 × 560`, () => {
    test('“Free a seat” in the out state shows who holds the seats, the invites that could be freed first', async ({
      page,
    }) => {
      await openFromOutState(page, {}, scheme)
      const heading = page.getByRole('heading', { name: 'Who holds seats' })
      await expect(heading).toBeFocused()
      await expect(page.locator('#seat-holders-summary')).toHaveText(
        '3 invites never accepted hold seats; 2 could be freed.',
      )
      await expect(page.locator('#seat-holders')).toContainText(
        'Zoho counts pending invites as used seats here',
      )
      // Oldest first, with their age, whatever order the engine listed its suggestions in.
      expect(await names(page, 'Could be freed')).toEqual(['Liam Berg', 'Noor Haddad'])
      await expect(page.getByRole('list', { name: 'Could be freed' })).toContainText('Invited 12 days ago')
      // Everyone else, by profile and role: each group a list, the fresh invite among its role, marked.
      const groups = await page.locator('#seat-holders h3').allTextContents()
      expect(groups).toEqual([
        'Could be freed',
        'Administrator · CEO',
        'Administrator · Manager',
        'Standard · Manager',
        'Standard · Sales Rep',
      ])
      expect(await names(page, 'Standard · Sales Rep')).toContain('Ava Nakamura')
      await expect(page.getByRole('listitem').filter({ hasText: 'Ava Nakamura' })).toContainText(
        'Invited 1 day ago',
      )
      const everyone = await page.locator('#seat-holders .holder-name').count()
      expect(everyone, 'all 25 seat holders are listed, each once').toBe(25)
      expect(await page.getByRole('button', { name: /Buy seats/ }).count(), 'no link to buy seats yet').toBe(
        0,
      )
      expect(await callsTo(page, 'getSeatHolders')).toEqual([['acme']])
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `seat-holders-${scheme}`)
    })

    test('a sign-in without the users permission is offered a new consent, not shown as an error', async ({
      page,
    }) => {
      await openFromOutState(
        page,
        { seatHolders: { kind: 'consent-needed', offer: 'Allow Seat Tray to see who holds seats' } },
        scheme,
      )
      const offer = page.getByRole('button', { name: 'Allow Seat Tray to see who holds seats' })
      await expect(offer).toBeVisible()
      await expect(page.locator('#seat-holders [role="alert"]')).toHaveCount(0)
      await expect(page.locator('#seat-holders .mood-problem')).toHaveCount(0)
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `seat-holders-consent-${scheme}`)
      await offer.click()
      expect(await callsTo(page, 'signIn')).toEqual([[{ dataCenter: 'EU', via: 'window' }]])
    })
  })
}

test('searching filters by name, email, role or profile without asking Zoho again', async ({ page }) => {
  await openFromOutState(page)
  const search = page.getByRole('searchbox', { name: 'Search people' })
  await search.fill('okafor')
  await expect(page.locator('#seat-holders-matches')).toHaveText('7 people match “okafor”.')
  const shown = await page.locator('#seat-holders .holder-name').allInnerTexts()
  expect(shown.every((n) => n.endsWith('Okafor'))).toBe(true)
  expect(shown).toHaveLength(7)
  await expect(page.getByRole('list', { name: 'Could be freed' })).toHaveCount(0)
  await search.fill('manager')
  expect(await page.locator('#seat-holders .holder-name').allInnerTexts()).toEqual([
    'Noor Haddad',
    'Ben Okafor',
    'Elena Berg',
    'Grace Okafor',
    'Jonas Berg',
  ])
  await search.fill('noor.haddad@')
  expect(await page.locator('#seat-holders .holder-name').allInnerTexts()).toEqual(['Noor Haddad'])
  await expect(page.locator('#seat-holders-matches')).toHaveText('1 person matches “noor.haddad@”.')
  await search.fill('zzz')
  await expect(page.locator('#seat-holders-matches')).toHaveText('No one matches “zzz”.')
  await expect(page.locator('#seat-holders .holder-name')).toHaveCount(0)
  await search.fill('')
  await expect(page.locator('#seat-holders .holder-name')).toHaveCount(25)
  await expect(search).toBeFocused()
  expect(await callsTo(page, 'getSeatHolders')).toHaveLength(1)
})

test('a state pushed by main keeps the search, its results and the focus, and asks Zoho nothing', async ({
  page,
}) => {
  await openFromOutState(page)
  const search = page.getByRole('searchbox', { name: 'Search people' })
  await search.fill('berg')
  const before = await page.locator('#seat-holders .holder-name').allInnerTexts()
  await page.evaluate((state) => window.__fake?.push(state), STATES.out.state)
  await expect(search).toHaveValue('berg')
  await expect(search).toBeFocused()
  expect(await page.locator('#seat-holders .holder-name').allInnerTexts()).toEqual(before)
  expect(await callsTo(page, 'getSeatHolders')).toHaveLength(1)
})

test('a row opens that person’s page in Zoho CRM, and the action opens the Users page', async ({ page }) => {
  await openFromOutState(page)
  await page
    .getByRole('list', { name: 'Could be freed' })
    .getByRole('button', { name: /Liam Berg/ })
    .click()
  await page.getByRole('button', { name: /Kemi Okafor/ }).click()
  await page.getByRole('button', { name: 'Open Users in Zoho CRM' }).click()
  expect(await callsTo(page, 'openSeatHolderPage')).toEqual([
    [{ accountId: 'acme', holderId: 'u-liam' }],
    [{ accountId: 'acme', holderId: 'u-s11' }],
    [{ accountId: 'acme' }],
  ])
  expect(await callsTo(page, 'openLink')).toEqual([])
})

test('“How to buy more seats” opens Zoho’s steps for adding user licenses, and only that', async ({
  page,
}) => {
  await openFromOutState(page)
  await page.getByRole('button', { name: 'How to buy more seats' }).click()
  expect(await callsTo(page, 'openLink')).toEqual([['zoho-buy-seats']])
  expect(await callsTo(page, 'openSeatHolderPage')).toEqual([])
})

test('says it is asking Zoho while the list loads, then shows it', async ({ page }) => {
  await openFromOutState(page, { holdSeatHolders: true })
  await expect(page.locator('#seat-holders-loading')).toHaveText('Asking Zoho who holds seats…')
  await expect(page.locator('#seat-holders')).toHaveAttribute('aria-busy', 'true')
  expect(await seriousA11yViolations(page)).toEqual([])
  await page.evaluate(() => window.__fake?.releaseSeatHolders())
  await expect(page.locator('#seat-holders .holder-name')).toHaveCount(25)
  await expect(page.locator('#seat-holders')).not.toHaveAttribute('aria-busy', 'true')
})

test('when Zoho cannot be read, says so and asks again only when the person retries', async ({ page }) => {
  await openFromOutState(page, { seatHolders: 'fail' })
  await expect(page.locator('#seat-holders-error')).toHaveText(
    'Seat Tray could not read who holds seats from Zoho. Try again in a moment.',
  )
  // Redraws (a pushed state, the 30-second tick) never ask again by themselves.
  await page.evaluate((state) => window.__fake?.push(state), STATES.out.state)
  expect(await callsTo(page, 'getSeatHolders')).toHaveLength(1)
  // Zoho can still be reached from the Users page link while the list cannot.
  await expect(page.getByRole('button', { name: 'Open Users in Zoho CRM' })).toBeVisible()
  await page.evaluate((view) => window.__fake?.setSeatHolders({ kind: 'holders', view }), seatHoldersView())
  expect(await seriousA11yViolations(page)).toEqual([])
  await page.getByRole('button', { name: 'Try again' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.locator('#seat-holders .holder-name')).toHaveCount(25)
  // The button pressed is gone with the error: the keyboard stays in the view, on its heading.
  await expect(page.getByRole('heading', { name: 'Who holds seats' })).toBeFocused()
  expect(await callsTo(page, 'getSeatHolders')).toHaveLength(2)
})

test('once the person allows it, the next state brings the list without another click', async ({ page }) => {
  const consentNeeded = { kind: 'consent-needed', offer: 'Allow Seat Tray to see who holds seats' } as const
  await openFromOutState(page, { seatHolders: consentNeeded })
  await page.getByRole('button', { name: consentNeeded.offer }).click()
  await page.evaluate((view) => window.__fake?.setSeatHolders({ kind: 'holders', view }), seatHoldersView())
  // Main pushes the same consent-needed access first (nothing changed yet): no new request.
  const out = STATES.out.state
  const withAccess = (seatHolders: unknown) => ({
    ...out,
    accounts: out.accounts.map((a) => ({ ...a, seatHolders })),
  })
  await page.evaluate((s) => window.__fake?.push(s as never), withAccess(consentNeeded))
  expect(await callsTo(page, 'getSeatHolders')).toHaveLength(1)
  await page.evaluate(
    (s) => window.__fake?.push(s as never),
    withAccess({
      kind: 'allowed',
      pendingInvites: 3,
      staleInvites: 2,
      pendingCounting: 'counted',
      checkedAt: Date.now(),
      creditsPerDay: 5,
    }),
  )
  await expect(page.locator('#seat-holders .holder-name')).toHaveCount(25)
  expect(await callsTo(page, 'getSeatHolders')).toHaveLength(2)
})

test.describe('keyboard', () => {
  test('focus starts on the heading; Tab reaches setting a seat price, the Users page, buying seats, the export, the search, then the first invite to free', async ({
    page,
  }) => {
    await openFromOutState(page)
    await expect(page.getByRole('heading', { name: 'Who holds seats' })).toBeFocused()
    const order: string[] = []
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab')
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''))
    }
    expect(order).toEqual([
      'set-seat-price',
      'open-users-page',
      'buy-seats',
      'export-holders',
      'holder-search',
      'holder-u-liam',
    ])
    await page.keyboard.press('Enter')
    expect(await callsTo(page, 'openSeatHolderPage')).toEqual([[{ accountId: 'acme', holderId: 'u-liam' }]])
  })

  test('the back control returns to the overview with focus on “Free a seat”', async ({ page }) => {
    await openFromOutState(page)
    await page.keyboard.press('Shift+Tab')
    await expect(page.getByRole('button', { name: 'Back to the overview' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.locator('#state-sentence')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Free a seat' })).toBeFocused()
  })

  test('Escape returns to the overview too, but only clears the search first', async ({ page }) => {
    await openFromOutState(page)
    const search = page.getByRole('searchbox', { name: 'Search people' })
    await search.fill('berg')
    await search.press('Escape')
    await expect(search).toHaveValue('')
    await expect(page.locator('#seat-holders .holder-name')).toHaveCount(25)
    await search.press('Escape')
    await expect(page.getByRole('button', { name: 'Free a seat' })).toBeFocused()
  })
})

test('the low state’s “Free a seat” opens the same view, and the Overview tab leads back', async ({
  page,
}) => {
  await openWindow(page, { state: STATES.low.state })
  await page.getByRole('button', { name: 'Free a seat' }).click()
  await expect(page.getByRole('heading', { name: 'Who holds seats' })).toBeFocused()
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true')
  await page.getByRole('tab', { name: 'Overview' }).click()
  await expect(page.locator('#state-sentence')).toHaveText(/Running low/)
  expect(await callsTo(page, 'getSeatHolders')).toEqual([['acme']])
})

test.describe('the overview beside “Free a seat”', () => {
  const withAccess = (state: typeof STATES.out.state, seatHolders: AccountView['seatHolders']) => ({
    ...state,
    accounts: state.accounts.map((a) => ({ ...a, seatHolders })),
  })
  const allowed = (pendingCounting: PendingCounting): AccountView['seatHolders'] => ({
    kind: 'allowed',
    pendingInvites: 2,
    staleInvites: 1,
    pendingCounting,
    checkedAt: Date.now(),
    creditsPerDay: 5,
  })

  test('the out state says how many invites never accepted hold seats', async ({ page }) => {
    await openWindow(page, { state: withAccess(STATES.out.state, allowed('counted')) })
    await expect(page.locator('#invites-note')).toHaveText('2 invites never accepted hold seats.')
    expect(await inViewport(page, '#invites-note')).toBe(true)
    expect(await screenshot(page, 'out-invites-light'), 'the overview still fits the window').toBe(false)
  })

  test('where Zoho does not count invites as seats, it does not claim they hold one', async ({ page }) => {
    await openWindow(page, { state: withAccess(STATES.low.state, allowed('not-counted')) })
    await expect(page.locator('#invites-note')).toHaveText(
      '2 invites never accepted; Zoho does not count them as used seats here.',
    )
    await page.getByRole('button', { name: 'Free a seat' }).click()
    const view = seatHoldersView()
    view.pendingCounting = 'not-counted'
    await page.evaluate((v) => window.__fake?.setSeatHolders({ kind: 'holders', view: v }), view)
    await page.getByRole('button', { name: 'Back to the overview' }).click()
    await page.getByRole('button', { name: 'Free a seat' }).click()
    await expect(page.locator('#seat-holders-summary')).toHaveText(
      '3 invites never accepted; Zoho does not count them as used seats here; 2 could be freed.',
    )
  })

  test('says nothing about invites before the engine knows, or without the users permission', async ({
    page,
  }) => {
    await openWindow(page, {
      state: withAccess(STATES.out.state, {
        kind: 'consent-needed',
        offer: 'Allow Seat Tray to see who holds seats',
      }),
    })
    await expect(page.locator('#state-sentence')).toBeVisible()
    await expect(page.locator('#invites-note')).toHaveCount(0)
    expect(await callsTo(page, 'getSeatHolders'), 'the overview never asks for names').toEqual([])
  })
})

test('a partial list says so, and a very long name or email never widens the window', async ({ page }) => {
  const view = seatHoldersView()
  view.truncated = true
  const first = view.holders[3]
  if (first) {
    first.name = 'Maximiliana Alexandrovna Featherstonehaugh-Worthington'
    first.email = 'maximiliana.alexandrovna.featherstonehaugh-worthington@subsidiary.acme.example'
    first.role = null
    first.profile = null
  }
  await openFromOutState(page, { seatHolders: { kind: 'holders', view } })
  await expect(page.locator('#seat-holders')).toContainText('this list is partial')
  // Someone Zoho gave no profile or role is listed last, after every named group.
  expect((await page.locator('#seat-holders h3').allTextContents()).at(-1)).toBe('No profile · No role')
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }))
  expect(widths.page, 'no sideways scrolling').toBeLessThanOrEqual(widths.window)
  // Wrapped, not cut: the whole address is there to read.
  await expect(page.locator('#holder-u-ava-o .holder-email')).toBeVisible()
  await screenshot(page, 'seat-holders-long-name-light')
})
