/**
 * The user stories of issue 14, in the words of the person they are for: one name per story, shared by the test
 * host's suite (test/stories) and the Electron suite (test/e2e), so the two hosts tell the same stories.
 */
export const STORY = {
  firstLaunchDemo: 'first launch: I see demo numbers within seconds',
  signInConsent:
    'I sign in through Zoho’s consent page; the token goes to the keychain and the tray shows my count',
  signInSystemBrowser: 'I sign in through my own browser when the sign-in window is refused',
  euOrg: 'my org lives in the EU data center, end to end',
  timerPolls: 'Seat Tray checks on its own schedule and the tray and tooltip follow',
  outNotifiesOnce: 'the last seat is taken: one notification',
  outShowsWho: 'the seats-ran-out notice shows who holds the seats',
  freedNotifiesOnce: 'seats are freed: one notification',
  lowBySeats: 'seats drop to my low mark: one warning',
  refreshCoalesces: 'I click Refresh twice while a check is under way: Zoho is asked once',
  windowBreakdown: 'the window shows the breakdown, the forecast and the next check',
  historyAndCsv: 'I look at the history ranges and export the CSV',
  offlineRecovery: 'the network goes away and comes back: back to ok without a storm',
  revokedSignInAgain: 'Zoho revoked my sign-in: I sign in again and keep my numbers and history',
  throttledNoLoop: 'Zoho refuses new tokens for an hour: Seat Tray does not loop',
  scopeMissing: 'my sign-in lacks the CRM scope: the window says what to do',
  noPermission: 'my Zoho profile may not read licenses: the window says whom to ask',
  twoOrgs: 'I watch two orgs',
  settingsSurviveRestart: 'my settings survive a restart and are applied',
  corruptFiles: 'my settings and history files are damaged: Seat Tray starts, keeps a copy and tells me',
  noSecretService: 'my desktop has no Secret Service: the window names the fallback',
  sleepResume: 'my laptop sleeps and wakes: one check',
  launchAtLogin: 'I turn launch at login on and off',
  signOut: 'I sign out: the token is revoked and gone from the keychain',
  keyboardAndScreenReader: 'I use the window with the keyboard and a screen reader',
  officeProxy: 'my office proxy asks me to sign in',
  windowIsChecked: 'the window can only ask for what the contract allows, and only from Seat Tray’s own page',
  statusCommand: 'IT runs `seat-tray status`: the exit code says it',
  seatPriceAndExport:
    'I give a seat price and export who holds the seats: the file is the list I see, and nothing else keeps their emails',
  // Told only by the Electron suite (test/e2e): they need Electron's own runtime.
  secondLaunch: 'I start Seat Tray again while it runs: the running one shows itself',
} as const

export type StoryId = keyof typeof STORY
