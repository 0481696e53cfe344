// What describe says of one sObject, in the few fields the product uses. Apart from gateway-ports.ts so that pure
// rules checked against describe (domain/bot/filing-rules.ts, reached from tenant.ts) need not import the gateway
// port, which imports tenant.ts: that was an import circle (src/import-graph.test.ts).

export interface FieldDescription {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  filterable: boolean;
  /** an External ID field: indexed, so casebridge can find a Case by the idempotency key written there */
  externalId: boolean;
  picklistValues: string[];
}

export interface ObjectDescription {
  name: string;
  queryable: boolean;
  createable: boolean;
  updateable: boolean;
  /** only the fields the service user can see (field-level security hides the others) */
  fields: FieldDescription[];
}
