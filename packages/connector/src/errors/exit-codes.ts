// CLI exit codes scripts can rely on. Each error definition names one of these.

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  salesforceAuth: 3,
  salesforceAccess: 4,
  storeBusy: 5,
  notFound: 6,
} as const;
