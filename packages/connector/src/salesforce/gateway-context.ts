// What every operation of the Salesforce gateway works with: the client, the tenant it calls for, the clock, and the
// purpose its audit rows carry. The operations live by concern (gateway-metadata.ts, gateway-incremental.ts,
// gateway-writes.ts); gateway.ts puts them together as the SalesforceGateway.

import type { Clock } from '../domain/ports.js';
import type { Tenant } from '../domain/tenant.js';
import type { SalesforceClient } from './salesforce-client.js';

export class GatewayContext {
  constructor(
    readonly client: SalesforceClient,
    readonly tenant: Tenant,
    readonly clock: Clock,
    readonly purpose?: string,
  ) {}

  get ver(): string {
    return this.tenant.settings.apiVersion;
  }

  get purposeOpt(): { purpose?: string } {
    return this.purpose === undefined ? {} : { purpose: this.purpose };
  }

  ctx(shape: string) {
    return { tenantId: this.tenant.id, shape };
  }
}
