/**
 * The CRM side of the simulator: the bodies `GET /crm/{v}/__features/user_licenses` and `GET /crm/{v}/org` answer
 * with, shaped after Zoho's own OpenAPI files (crm-oas v8.0 features.json and org.json), and Zoho's error shape.
 */
import type { SeatSetting } from './scenarios'

export interface CrmError {
  status: number
  body: { code: string; details: Record<string, unknown>; message: string; status: 'error' }
}

export function crmError(status: number, code: string, message: string): CrmError {
  return { status, body: { code, details: {}, message, status: 'error' } }
}

export const CRM_ERRORS = {
  invalidToken: () => crmError(401, 'INVALID_TOKEN', 'invalid oauth token'),
  authenticationFailure: () => crmError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed'),
  noPermission: () => crmError(403, 'NO_PERMISSION', 'permission denied'),
  scopeMismatch: () => crmError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'),
  invalidUrl: () =>
    crmError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'),
  wrongMethod: () =>
    crmError(400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'),
  tooManyRequests: () =>
    crmError(429, 'TOO_MANY_REQUESTS', 'The number of API requests has exceeded the allowed limit.'),
  internal: () => crmError(500, 'INTERNAL_ERROR', 'Internal Server Error'),
} as const

/** Which scope each CRM resource needs; `.ALL` covers `.READ`, as Zoho's scope grammar says. */
export const REQUIRED_SCOPE = {
  features: 'ZohoCRM.features',
  org: 'ZohoCRM.org',
  users: 'ZohoCRM.users',
} as const

export function hasReadScope(granted: readonly string[], resource: string): boolean {
  const wanted = resource.toLowerCase()
  return granted.some((s) => {
    const lower = s.toLowerCase()
    return lower === `${wanted}.read` || lower === `${wanted}.all`
  })
}

/** `__features/user_licenses`: limits.total is purchased, used_count.total is active, available_count.total is free. */
export function userLicensesBody(seats: SeatSetting, withInfo: boolean): Record<string, unknown> {
  const available = seats.available ?? Math.max(0, seats.purchased - seats.active)
  const body: Record<string, unknown> = {
    __features: [
      {
        api_name: 'user_licenses',
        feature_label: 'User Licenses',
        module_supported: false,
        parent_feature: null,
        components: [],
        details: {
          available_count: { total: available, edition_limit: seats.purchased },
          used_count: { total: seats.active, edition_limit: seats.purchased },
          limits: { total: seats.purchased, edition_limit: seats.purchased },
        },
      },
    ],
  }
  // The list route (`?api_names=user_licenses`) pages; the single-feature route has no `info` in Zoho's sample.
  if (withInfo) body.info = { per_page: 200, count: 1, page: 1, more_records: false }
  return body
}

export interface SimOrg {
  id: string
  companyName: string
  /** `license_details` as Zoho spells it; users_license_purchased follows the seats. */
  license: {
    paid: boolean
    paid_type: string
    paid_expiry: string | null
    trial_type: string | null
    trial_expiry: string | null
    trial_action: string | null
  }
}

/** A paid Enterprise org whose paid period ends `renewsInDays` after `now`. */
export function defaultOrg(now: number, renewsInDays = 200): SimOrg {
  return {
    id: '4150868000000225013',
    companyName: 'Zylker Traders',
    license: {
      paid: true,
      paid_type: 'enterprise',
      paid_expiry: zohoDateTime(now + renewsInDays * 86_400_000),
      trial_type: null,
      trial_expiry: null,
      trial_action: null,
    },
  }
}

export function orgBody(org: SimOrg, seats: SeatSetting): Record<string, unknown> {
  return {
    org: [
      {
        id: org.id,
        company_name: org.companyName,
        alias: null,
        primary_email: 'admin@zylker.example',
        primary_zuid: '700000001',
        zgid: '700000002',
        ezgid: 'a1b2c3d4e5',
        domain_name: 'org700000002',
        type: 'Production',
        country: 'United States',
        country_code: 'US',
        city: null,
        street: null,
        state: null,
        zip: null,
        phone: '555-0100',
        mobile: null,
        fax: null,
        website: 'www.zylker.example',
        employee_count: '50',
        description: null,
        currency: 'US Dollar - USD',
        currency_symbol: '$',
        currency_locale: 'en_US',
        iso_code: 'USD',
        time_zone: 'America/Los_Angeles',
        photo_id: null,
        zia_portal_id: null,
        zia_zgid: 0,
        mc_status: false,
        gapps_enabled: false,
        translation_enabled: false,
        privacy_settings: false,
        hipaa_compliance_enabled: false,
        lite_users_enabled: false,
        deletable_org_account: false,
        oauth_presence: true,
        max_per_page: 200,
        call_icon: '',
        created_time: '2021-03-01T09:00:00-08:00',
        hierarchy_preferences: { type: 'Role_Hierarchy', strictly_reporting: false },
        checkin_preferences: { restricted_event_types: null },
        license_details: { ...org.license, users_license_purchased: seats.purchased },
      },
    ],
  }
}

/** Zoho writes date-times with an offset and no milliseconds: 2026-07-24T00:00:00+00:00. */
function zohoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}
