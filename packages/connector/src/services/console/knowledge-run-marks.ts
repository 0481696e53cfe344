// The knowledge sync keeps only its newest run; the console also shows the last full and the last incremental run.
// This wraps the sync state repository so each saved state also marks the run of its mode.

import type { ConsoleRepository } from '../../domain/console-ports.js';
import type { KnowledgeSyncStateRepository } from '../../domain/knowledge/sync-ports.js';

export function markingKnowledgeRuns(
  states: KnowledgeSyncStateRepository,
  marks: Pick<ConsoleRepository, 'markKnowledgeRun'>,
): KnowledgeSyncStateRepository {
  return {
    get: (tenantId) => states.get(tenantId),
    save: async (state) => {
      await states.save(state);
      await marks.markKnowledgeRun(state.tenantId, {
        mode: state.full ? 'full' : 'incremental',
        state: state.state,
        startedAt: state.startedAt,
        finishedAt: state.finishedAt,
      });
    },
  };
}
