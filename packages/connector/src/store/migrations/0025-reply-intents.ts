// Migration 0025: replies in the write ledger. A reply's comments are all created by the service user, so the row
// keeps who really wrote it (the employee's Contact id, name and email), the case, the reference its parts carry,
// how many parts, a fingerprint of the text (a key reused for another reply is refused) and the final answer.

export const sql = `
ALTER TABLE write_intents
  ADD COLUMN case_id          text,
  ADD COLUMN author_id        text,
  ADD COLUMN author_name      text,
  ADD COLUMN author_email     text,
  ADD COLUMN reply_reference  text,
  ADD COLUMN part_count       integer,
  ADD COLUMN fingerprint      text,
  ADD COLUMN result           jsonb;
`;
