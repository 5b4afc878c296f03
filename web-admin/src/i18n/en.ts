// English, the second language: the same keys as zh-CN.ts (checked by the
// type below, so a key missing here fails `npm run build`).
import type zhCN from './zh-CN';

export type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

const en: Same<typeof zhCN> = {
  app: { title: 'Mashang · Admin', short: 'Mashang', language: 'Language', loading: 'Loading…' },
  nav: {
    tree: 'Regions and sites',
    accounts: 'Accounts',
    applications: 'Senior applications',
    grants: 'Grants',
    dashboard: 'Dashboard',
    alerts: 'Alerts',
    tasks: 'My tasks',
    scans: 'Scans',
    controlLists: 'Control lists',
    tracing: 'Tracing',
    rules: 'Colour rules',
    station: 'Scan station',
  },
  common: {
    save: 'Save', cancel: 'Cancel', confirm: 'OK', edit: 'Edit', create: 'Create', delete: 'Delete',
    search: 'Search', back: 'Back', yes: 'Yes', no: 'No', none: 'None', print: 'Print', refresh: 'Refresh',
    actions: 'Actions', more: 'Load more', notFound: 'Page not found',
    notFoundHint: 'The page you asked for does not exist.', forbidden: 'This account may not see this page.',
    home: 'Home',
  },
  header: {
    acting: 'Acting as', switchAccount: 'Switch account', switched: 'Now acting as {{account}}',
    logout: 'Log out', loggedOut: 'Logged out',
  },
  login: {
    title: 'Log in', subtitle: 'Scanners and administrators', phone: 'Phone', phoneRequired: 'Enter your phone number',
    phoneInvalid: 'Enter an 11-digit phone number', password: 'Password', passwordRequired: 'Enter your password',
    submit: 'Log in', chooseAccount: 'Choose an account',
    chooseAccountHint: 'You hold several accounts: choose the one to act as.', continue: 'Continue',
  },
  account: {
    label: '{{role}} · {{scope}}', disabledTitle: 'Account disabled',
    disabledHint: 'This account is disabled: you may ask for it to be reactivated and follow your request.',
    disabledReason: 'Reason', disabledAt: 'Disabled at', requestReactivation: 'Ask for reactivation',
    reactivationNote: 'Note (optional)', reactivationSent: 'Reactivation requested', reactivationState: 'Request state',
  },
  tree: {
    title: 'Regions and sites', searchPlaceholder: 'Search by name or division code', childCount: '{{count}} below',
    siteCount: '{{count}} sites', noResults: 'No matching region', selectHint: 'Choose a region or a site on the left',
    sites: 'Sites', region: 'Region', code: 'Division code', level: 'Level', openSite: 'Open site', newSite: 'New site',
  },
  site: {
    title: 'Site', name: 'Name', category: 'Category', policy: 'Verification', sector: 'Sector', address: 'Address',
    coordinates: 'Coordinates', noCoordinates: 'No coordinates', latitude: 'Latitude', longitude: 'Longitude',
    geofenceRadius: 'Geofence radius (m)', noGeofence: 'No geofence', built: 'Built', builtYes: 'Built',
    builtNo: 'Not built', enabled: 'Enabled', enabledYes: 'Enabled', enabledNo: 'Not enabled', unit: 'Unit',
    region: 'Region', parent: 'Parent site', scanners: 'Scanners here', noScanners: 'No scanner yet',
    vehicle: 'Vehicle (no geofence)',
  },
  errors: {
    network: 'The server cannot be reached: check the network and try again.',
    unknown: 'That did not work; try again later.',
    sessionExpired: 'Your session has ended: log in again.',
    exportIncomplete: 'The export did not finish: export again, and if it fails again try later.',
    download: {
      forbidden: 'You are not allowed to download this file: ask your superior for the permission to export.',
      gone: 'The file is no longer available: export again.',
      failed: 'The file could not be downloaded: try again later.',
    },
    code: {
      INVALID_INPUT: 'Some input is wrong.', NOT_FOUND: 'Not found.', CONFLICT: 'Conflicts with an existing record.',
      UNAUTHENTICATED: 'Log in first.', FORBIDDEN: 'Not allowed.', ACCOUNT_DISABLED: 'The account is disabled.',
      RATE_LIMITED: 'Too many attempts; try again later.', QUOTA_EXCEEDED: 'No more accounts of this kind are allowed.',
      UNAVAILABLE: 'Unavailable; try again later.', OVERLOADED: 'The server is busy: try again in a moment.', INTERNAL: 'Internal error.', QUERY_TOO_COMPLEX: 'Query too complex.',
      QUERY_TOO_DEEP: 'Query too deep.', GRAPHQL_PARSE_FAILED: 'Malformed request.',
      GRAPHQL_VALIDATION_FAILED: 'The request does not match the API.',
      PERSISTED_QUERY_NOT_FOUND: 'Stale request; reload the page.', INVALID_PAGINATION: 'Bad pagination.',
      BATCH_NOT_SUPPORTED: 'Batches are not supported.', PAYLOAD_TOO_LARGE: 'Too large.',
      TOKEN_MALFORMED: 'Malformed code.', TOKEN_FORGED: 'Invalid code signature.', TOKEN_EXPIRED: 'The code has expired.',
      TOKEN_UNKNOWN_ISSUER: 'Unknown code issuer.', TOKEN_NOT_YET_VALID: 'The code is not valid yet.',
      TOKEN_WRONG_KIND: 'Wrong kind of code.', SITE_NOT_ENABLED: 'The site is not enabled.',
      CODE_NOT_GREEN: 'The health code is not green.', GEOFENCE: 'Outside the site’s geofence.',
      SCANNER_NO_CODE: 'The scanner has no linked health code.',
    },
  },
  enum: {
    SiteCategory: {
      PARK: 'Park', SCENIC_SPOT: 'Scenic spot', SPORTS_VENUE: 'Sports venue', INDOOR_VENUE: 'Indoor venue',
      ENCLOSED_ENTERTAINMENT: 'Enclosed entertainment', CONFERENCE_EXHIBITION: 'Conference and exhibition',
      KEY_INSTITUTION: 'Key institution', MEDICAL_INSTITUTION: 'Medical institution',
      GOVERNMENT_SERVICE_HALL: 'Government service hall', HOTEL: 'Hotel', SCHOOL: 'School',
      GOVERNMENT_AGENCY: 'Government agency', COMMUNITY: 'Community', RESIDENTIAL_COMPOUND: 'Residential compound',
      ENTERPRISE: 'Enterprise', PRODUCTION_SITE: 'Production site', TRANSPORT_HUB: 'Transport hub',
      PUBLIC_TRANSPORT: 'Public transport', SHOPPING_DINING: 'Shopping and dining', BUS: 'Bus', TAXI: 'Taxi',
      CONSTRUCTION_SITE: 'Construction site', INDUSTRIAL_PARK: 'Industrial park', SERVICE_OUTLET: 'Service outlet',
      FARMERS_MARKET: 'Farmers market',
    },
    VerificationPolicy: { MANDATORY: 'Mandatory', ENCOURAGED: 'Encouraged' },
    Sector: {
      GOVERNMENT: 'Government', HEALTH: 'Health', EDUCATION: 'Education', COMMERCE: 'Commerce',
      CULTURE_TOURISM: 'Culture and tourism', TRANSPORT: 'Transport', HOUSING: 'Housing', INDUSTRY: 'Industry',
      PUBLIC_SECURITY: 'Public security', CIVIL_AFFAIRS: 'Civil affairs', FINANCE: 'Finance', UTILITIES: 'Utilities',
      OTHER: 'Other',
    },
    AccountRole: {
      INITIATOR: 'Initiator', SENIOR: 'Senior scanner', INTERMEDIATE: 'Intermediate scanner',
      ORDINARY: 'Ordinary scanner', OFFICIAL: 'Official', GRID_WORKER: 'Grid worker',
    },
    AccountStatus: { ACTIVE: 'Active', DISABLED: 'Disabled' },
    AccountDisabledReason: {
      MANUAL: 'Disabled by hand', CASCADE: 'With its superior', SILENT: 'Unused too long',
      GEOFENCE: 'Away from the site', CODE_NOT_GREEN: 'Holder’s code not green', PENDING_CONSENT: 'Waiting for consent',
    },
    RegionLevel: { PROVINCE: 'Province', CITY: 'City', DISTRICT: 'District', STREET: 'Street', COMMUNITY: 'Community' },
    GrantKind: { PII_VIEWER: 'Personal data', TRACER: 'Tracing', SECTOR_STATISTICS: 'Sector statistics' },
    ApplicationStatus: { PENDING: 'Pending', APPROVED: 'Approved', REJECTED: 'Rejected' },
    ReactivationRequestStatus: { PENDING: 'Pending', GRANTED: 'Granted', SUPERSEDED: 'Superseded' },
    HolderCode: { LINKED: 'Linked', NO_ID_NUMBER: 'No ID number', NOT_REGISTERED: 'Not registered' },
    Colour: { GREEN: 'Green', YELLOW: 'Yellow', ORANGE: 'Orange', RED: 'Red' },
    ScanDecision: { PASS: 'Pass', DENY: 'Deny' },
    AlertReason: {
      FEVER: 'Fever', COLOUR_YELLOW: 'Yellow code', COLOUR_ORANGE: 'Orange code', COLOUR_RED: 'Red code',
      REFER: 'To be checked', DENY: 'Denied',
    },
  },
};

export default en;
