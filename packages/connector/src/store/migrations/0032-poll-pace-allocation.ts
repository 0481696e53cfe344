// Migration 0032: where the allocation behind each tenant's poll pace came from (/limits read at a time, the usage
// header, or not known yet), so `status` can say why a tenant is polled as it is.

export const sql = `
ALTER TABLE poll_paces ADD COLUMN allocation jsonb;
`;
