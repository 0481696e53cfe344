// The SOQL engine: query, queryMore (locators), COUNT() and aggregates, column metadata for `sf data query`,
// semi-joins, and condition compilation for validation rules.

import type { Query } from '@jetstreamapp/soql-parser-js';
import type { UserAccess } from '../org/access.js';
import type { QueryOptions, QueryPage } from '../org/contract.js';
import type { RecordStore } from '../org/store.js';
import type { Schema } from '../schema/registry.js';
import type { ObjectDef } from '../schema/types.js';
import { aggregateRows } from './aggregate.js';
import { columnMetadata } from './columns.js';
import { CursorStore } from './cursors.js';
import { countRows, matchRows, Projector, type ExecEnv } from './execute.js';
import { knowledgeFilter } from './knowledge-filter.js';
import { parseSoql } from './parse.js';
import { compilePlan, type Plan, type PlanContext } from './plan.js';
import { invalidQueryLocator, malformed } from './query-errors.js';
import type { Predicate } from './where.js';

export const DEFAULT_BATCH = 2000;
export const MIN_BATCH = 200;

export interface EngineContext {
  schema: Schema;
  store: RecordStore;
  access: UserAccess;
  apiVersion: string;
  now: Date;
}

/** The planning context of `soql` for this caller; `semiJoin` answers its `Id IN (SELECT ...)` sub-selects. */
export function planContext(
  ctx: EngineContext,
  soql: string,
  semiJoin: PlanContext['semiJoin'],
): PlanContext {
  return {
    soql,
    schema: ctx.schema,
    access: ctx.access,
    store: ctx.store,
    now: ctx.now,
    apiVersion: ctx.apiVersion,
    semiJoin,
  };
}

/** The environment a compiled plan runs in for this caller. */
export function execEnv(ctx: EngineContext, includeDeleted: boolean): ExecEnv {
  return {
    schema: ctx.schema,
    store: ctx.store,
    access: ctx.access,
    apiVersion: ctx.apiVersion,
    includeDeleted,
  };
}

export class SoqlEngine {
  readonly cursors: CursorStore;

  constructor(pod: string) {
    this.cursors = new CursorStore(pod);
  }

  private planFor(ctx: EngineContext, soql: string, includeDeleted: boolean): { plan: Plan; env: ExecEnv } {
    const query = parseSoql(soql);
    const plan = compilePlan(
      planContext(ctx, soql, (sub) => this.semiJoin(ctx, soql, sub)),
      query,
    );
    const env = execEnv(ctx, includeDeleted);
    if (plan.obj.access === 'knowledge') {
      const filter = knowledgeFilter(plan, ctx.apiVersion);
      if (filter) env.rowFilter = filter;
    }
    return { plan, env };
  }

  query(ctx: EngineContext, soql: string, options: QueryOptions = {}): QueryPage {
    const { plan, env } = this.planFor(ctx, soql, options.includeDeleted ?? false);
    if (plan.countOnly) return { totalSize: countRows(plan, env), done: true, records: [] };
    if (plan.aggregate) {
      const records = aggregateRows(plan, env);
      return { totalSize: records.length, done: true, records };
    }
    const rows = matchRows(plan, env);
    const requested = options.batchSize ?? DEFAULT_BATCH;
    let batch = Math.min(
      DEFAULT_BATCH,
      Math.max(MIN_BATCH, Number.isFinite(requested) ? requested : DEFAULT_BATCH),
    );
    if (plan.batchCap !== undefined) batch = Math.min(batch, plan.batchCap);
    const projector = new Projector(plan, env);
    if (rows.length <= batch) return { totalSize: rows.length, done: true, records: projector.page(rows) };
    const now = ctx.now.getTime();
    const cursorId = this.cursors.open(ctx.access.userId, rows, batch, (page) => projector.page(page), now);
    return {
      totalSize: rows.length,
      done: false,
      nextRecordsUrl: `/services/data/v${ctx.apiVersion}/query/${cursorId}-${batch}`,
      records: projector.page(rows.slice(0, batch)),
    };
  }

  queryMore(ctx: EngineContext, locator: string): QueryPage {
    const m = /^([0-9A-Za-z]{15,18})-(\d+)$/.exec(locator);
    if (!m) throw invalidQueryLocator();
    const page = this.cursors.page(ctx.access.userId, m[1] ?? '', Number(m[2]), ctx.now.getTime());
    const out: QueryPage = {
      totalSize: page.totalSize,
      done: page.nextOffset === undefined,
      records: page.records,
    };
    if (page.nextOffset !== undefined) {
      out.nextRecordsUrl = `/services/data/v${ctx.apiVersion}/query/${page.cursorId}-${page.nextOffset}`;
    }
    return out;
  }

  queryColumns(ctx: EngineContext, soql: string): Record<string, unknown> {
    const { plan } = this.planFor(ctx, soql, false);
    return columnMetadata(plan, ctx.access);
  }

  /** Values of the single selected field of a semi-join subquery (`Id IN (SELECT ContactId FROM Case ...)`). */
  private semiJoin(ctx: EngineContext, soql: string, sub: Query): Set<unknown> {
    const subPlan = compilePlan(
      planContext(ctx, soql, () => {
        throw malformed(soql, 'SELECT', 'Nesting of semi join sub-selects is not supported');
      }),
      sub,
    );
    const first = subPlan.items[0];
    if (subPlan.items.length !== 1 || !first || first.kind !== 'field' || first.path.refs.length > 0) {
      throw malformed(soql, 'SELECT');
    }
    const name = first.path.field.name;
    const out = new Set<unknown>();
    for (const r of matchRows(subPlan, execEnv(ctx, false))) {
      const v = r.fields[name];
      if (v !== null && v !== undefined) out.add(v);
    }
    return out;
  }

  /** Compiles a WHERE condition (a validation rule's errorCondition) over `obj` with full access. */
  compileCondition(ctx: EngineContext, obj: ObjectDef, condition: string): Predicate {
    const soql = `SELECT Id FROM ${obj.name} WHERE ${condition}`;
    const { plan } = this.planFor(ctx, soql, true);
    return plan.where?.predicate ?? (() => false);
  }
}
