// What a knowledge sync of a tenant loads, from the article objects describe found and the tenant's settings:
// objects, body fields, page size, languages and channels, with a coded warning for each setting the org cannot
// honour. Pure: the sync runs it before loading, and doctor shows it.

import type { ErrorDefinition } from '../../errors/define-error.js';
import {
  KNOWLEDGE_SYNC_BODY_FIELD_MISSING,
  KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN,
  KNOWLEDGE_SYNC_NO_BODY_FIELD,
  KNOWLEDGE_SYNC_NOT_ENABLED,
} from '../../errors/codes/knowledge-sync.js';
import type { TenantSettings } from '../tenant.js';
import type { ArticleObjectInfo } from './sync-ports.js';
import {
  chooseBodyFields,
  chooseLanguages,
  DEFAULT_CHANNELS,
  pageSizeFor,
  type KnowledgeChannel,
} from './sync-rules.js';

/** A coded warning of a sync: the tenant's, or one article's. */
export interface KnowledgeSyncWarning {
  code: string;
  message: string;
  fix: string;
}

export interface PlannedObject {
  name: string;
  bodyFields: string[];
  /** how many of the body fields are long text (two or more cap a page at 200 rows) */
  longTextFields: number;
  pageSize: number;
}

/** What a sync will load, as doctor shows it. */
export interface KnowledgePlan {
  objects: PlannedObject[];
  languages: string[];
  channels: KnowledgeChannel[];
  warnings: KnowledgeSyncWarning[];
}

/** A warning from a registered definition, its `{placeholders}` filled. */
export function syncWarning(
  def: ErrorDefinition,
  params: Record<string, string | number>,
): KnowledgeSyncWarning {
  const fill = (text: string): string =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
  return { code: def.code, message: fill(def.message), fix: fill(def.fix) };
}

export function planKnowledge(
  tenantId: string,
  settings: TenantSettings['knowledge'],
  found: readonly ArticleObjectInfo[],
): KnowledgePlan {
  const channels = [...(settings.channels ?? DEFAULT_CHANNELS)];
  const warnings: KnowledgeSyncWarning[] = [];
  const objects =
    settings.objects === undefined ? found : found.filter((o) => settings.objects?.includes(o.name));
  if (objects.length === 0) {
    warnings.push(syncWarning(KNOWLEDGE_SYNC_NOT_ENABLED, { tenant: tenantId }));
    return { objects: [], languages: [], channels, warnings };
  }
  const wanted = settings.languages ?? [settings.language];
  const orgLanguages = [...new Set(objects.flatMap((o) => o.languages))];
  const { languages, unknown } = chooseLanguages(wanted, orgLanguages);
  for (const language of unknown) {
    warnings.push(
      syncWarning(KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN, {
        tenant: tenantId,
        language,
        languages: orgLanguages.join(', ') || 'none',
      }),
    );
  }
  const planned = objects.map((o): PlannedObject => {
    const choice = chooseBodyFields(settings.bodyFields, o.fields);
    for (const field of choice.missing)
      warnings.push(
        syncWarning(KNOWLEDGE_SYNC_BODY_FIELD_MISSING, { tenant: tenantId, field, object: o.name }),
      );
    if (choice.fields.length === 0)
      warnings.push(syncWarning(KNOWLEDGE_SYNC_NO_BODY_FIELD, { tenant: tenantId, object: o.name }));
    const long = new Set(o.fields.filter((f) => f.longText).map((f) => f.name));
    const longTextFields = choice.fields.filter((f) => long.has(f)).length;
    return { name: o.name, bodyFields: choice.fields, longTextFields, pageSize: pageSizeFor(longTextFields) };
  });
  return { objects: planned, languages, channels, warnings };
}
