// What the Case change stream keeps across workers: one stream per tenant per deployment (a lease the holder
// renews while it streams, so every worker's poll pacer can tell the stream is live), and where the stream stands
// (its replay id, saved as a stream position with the work it covers; see services/tickets/case-stream-position.ts).

export interface CaseStreamLeaseRepository {
  /** takes the lease for `ttlMs`, or extends it when `owner` holds it already; false while another holder has it */
  hold(tenantId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** gives the lease up, only if `owner` still holds it */
  release(tenantId: string, owner: string): Promise<void>;
  /** true while some worker holds a live lease (it is streaming the tenant's Case changes) */
  held(tenantId: string): Promise<boolean>;
}
