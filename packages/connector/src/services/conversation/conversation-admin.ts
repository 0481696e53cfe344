// An operator's view of the bot's conversations: who has one, and one employee's conversation exported whole or
// deleted (a person's request to see or erase what the bot kept about them). An employee is named by their
// Contact id, or by their email (every conversation kept under that email).

import type { ConversationRepository } from '../../domain/conversation/conversation-ports.js';
import type { ConversationTurn } from '../../domain/conversation/messages.js';
import type { Clock } from '../../domain/ports.js';

/** every turn of one employee, however many the history API would page */
const EXPORT_LIMIT = 1_000_000;

export interface ConversationSummary {
  employee: string;
  turns: number;
  updatedAt: string;
}

export interface ConversationExport {
  tenantId: string;
  employee: string;
  exportedAt: string;
  turns: ConversationTurn[];
}

export interface ConversationAdminDeps {
  tenants: { show(id: string): Promise<unknown> };
  conversations: ConversationRepository;
  clock: Clock;
}

export class ConversationAdmin {
  constructor(private readonly deps: ConversationAdminDeps) {}

  async list(tenantId: string): Promise<ConversationSummary[]> {
    await this.deps.tenants.show(tenantId);
    return this.deps.conversations.employees(tenantId);
  }

  async export(tenantId: string, employee: string): Promise<ConversationExport> {
    await this.deps.tenants.show(tenantId);
    const turns = [];
    for (const key of this.keysOf(employee))
      turns.push(...(await this.deps.conversations.history({ tenantId, employee: key }, EXPORT_LIMIT)));
    return { tenantId, employee, exportedAt: this.deps.clock.now().toISOString(), turns };
  }

  /** deletes the employee's conversation; how many conversations (0 or 1 per key) were removed */
  async remove(tenantId: string, employee: string): Promise<{ removed: number }> {
    await this.deps.tenants.show(tenantId);
    let removed = 0;
    for (const key of this.keysOf(employee))
      if (await this.deps.conversations.remove({ tenantId, employee: key })) removed += 1;
    return { removed };
  }

  /** an email names the conversation kept under it (an employee without a Contact); anything else is a key as is */
  private keysOf(employee: string): string[] {
    const trimmed = employee.trim();
    return trimmed.includes('@') && !trimmed.startsWith('email:')
      ? [`email:${trimmed.toLowerCase()}`]
      : [trimmed];
  }
}
