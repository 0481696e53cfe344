// `GET /limits`: the org's allocations; DailyApiRequests follows the emulator's real usage counter, the other
// keys are a Developer Edition's fixed allowances (salesforce.md 2.10).
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm

import { SalesforceError } from '../../errors.js';
import { json, type ApiResult } from '../api-types.js';
import type { RestCall } from './rest-call.js';
import { bulkLimits } from '../../bulk/bulk-jobs.js';

const STATIC_LIMITS: Record<string, number> = {
  ActiveScratchOrgs: 3,
  AnalyticsExternalDataSizeMB: 40960,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentSyncReportRuns: 20,
  DailyAnalyticsDataflowJobExecutions: 60,
  DailyAsyncApexExecutions: 250000,
  DailyBulkApiBatches: 15000,
  DailyBulkV2QueryFileStorageMB: 976562,
  DailyBulkV2QueryJobs: 10000,
  DailyDeliveredPlatformEvents: 10000,
  DailyDurableGenericStreamingApiEvents: 10000,
  DailyDurableStreamingApiEvents: 10000,
  DailyGenericStreamingApiEvents: 10000,
  DailyScratchOrgs: 6,
  DailyStandardVolumePlatformEvents: 10000,
  DailyStreamingApiEvents: 10000,
  DailyWorkflowEmails: 390,
  DataStorageMB: 5,
  DurableStreamingApiConcurrentClients: 20,
  FileStorageMB: 20,
  HourlyAsyncReportRuns: 1200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5000,
  HourlyDashboardStatuses: 999999999,
  HourlyODataCallout: 10000,
  HourlyPublishedPlatformEvents: 50000,
  HourlyPublishedStandardVolumePlatformEvents: 50000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 10,
  MonthlyPlatformEventsUsageEntitlement: 0,
  Package2VersionCreates: 6,
  Package2VersionCreatesWithoutValidation: 500,
  PermissionSets: 1500,
  SingleEmail: 15,
  StreamingApiConcurrentClients: 20,
};

export function limits(call: RestCall): ApiResult {
  // The resource needs "View Setup and Configuration" (resources_limits.htm).
  const perms = call.org.data.userPermissions(call.ctx.userId);
  if (perms.viewSetup !== true && perms.modifyAllData !== true) {
    throw new SalesforceError(
      403,
      'INSUFFICIENT_ACCESS',
      'The user does not have permission to view setup and configuration.',
    );
  }
  const body: Record<string, unknown> = {};
  for (const [key, max] of Object.entries(STATIC_LIMITS)) {
    body[key] = { Max: max, Remaining: max };
  }
  body['DailyApiRequests'] = { Max: call.org.usage.max, Remaining: call.org.usage.remaining() };
  Object.assign(body, bulkLimits(call.org));
  return json(200, Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))));
}
