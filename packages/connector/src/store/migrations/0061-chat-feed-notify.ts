// Migration 0061: every row added to the chat feed sends NOTIFY casebridge_chat_feed (payload: its seq) when its
// transaction commits, whichever process wrote it, so each worker's follower reads the feed at once instead of at
// its next poll. A notification is only a hint: the follower still reads from its cursor, and polls as a safety net.

export const CHAT_FEED_CHANNEL = 'casebridge_chat_feed';

export const sql = `
CREATE FUNCTION chat_feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${CHAT_FEED_CHANNEL}', NEW.seq::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER chat_feed_notify AFTER INSERT ON chat_feed FOR EACH ROW EXECUTE FUNCTION chat_feed_notify();
`;
