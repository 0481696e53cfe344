// One Bayeux reply of the Streaming API's CometD endpoint (handshake, subscribe, disconnect): the endpoint answers
// a JSON array of messages. https://docs.cometd.org/current/reference/#_bayeux_meta_handshake

import { z } from 'zod';

export const SfBayeuxReply = z.object({
  channel: z.string().optional(),
  successful: z.boolean().optional(),
  error: z.string().optional(),
  clientId: z.string().optional(),
});
export type SfBayeuxReply = z.infer<typeof SfBayeuxReply>;

export const SfBayeuxReplies = z.array(SfBayeuxReply);
