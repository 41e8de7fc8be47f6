import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import type { Database } from '../store/database';

/** Import history for the 数据同步 screen (portable Kysely reads). */
export async function listImports(
  db: Kysely<Database>,
  opts: { limit: number; offset: number; source?: string },
) {
  let q = db.selectFrom('imports');
  if (opts.source) q = q.where('source', '=', opts.source);
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy('import_id', 'desc').limit(opts.limit).offset(opts.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { imports: rows, total: Number(total.n) };
}

export async function listRejections(
  db: Kysely<Database>,
  opts: { importId: number; limit: number; offset: number },
) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('import_rejections')
      .selectAll()
      .where('import_id', '=', opts.importId)
      .orderBy('line')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    db
      .selectFrom('import_rejections')
      .select(sql<number>`count(*)`.as('n'))
      .where('import_id', '=', opts.importId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rejections: rows, total: Number(total.n) };
}

export async function listApiSources(db: Kysely<Database>) {
  return db.selectFrom('api_sources').selectAll().orderBy('source').execute();
}

/**
 * Saves an API source's endpoint; a new URL forgets the old cursor (it belonged to the old
 * endpoint). Audited with the endpoint before and after (the token only as its reference kind).
 */
export async function saveApiSource(
  db: Kysely<Database>,
  s: { source: string; baseUrl: string; tokenRef: string | null },
  actor: Actor,
) {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('api_sources')
      .selectAll()
      .where('source', '=', s.source)
      .executeTakeFirst();
    const saved = await upsertApiSource(trx, s);
    const tokenKind = (ref: string | null | undefined) =>
      !ref ? null : ref.startsWith('sealed:') ? 'sealed' : ref.startsWith('env:') ? ref : 'reference';
    await appendAudit(trx, {
      actor,
      action: 'api_source.save',
      entity: 'api_source',
      entityId: s.source,
      before: before ? { baseUrl: before.base_url, token: tokenKind(before.token_ref) } : null,
      after: { baseUrl: saved.base_url, token: tokenKind(saved.token_ref) },
    });
    return saved;
  });
}

async function upsertApiSource(
  db: Transaction<Database>,
  s: { source: string; baseUrl: string; tokenRef: string | null },
) {
  await db
    .insertInto('api_sources')
    .values({ source: s.source, base_url: s.baseUrl, token_ref: s.tokenRef, cursor: null })
    .onConflict((oc) =>
      oc.column('source').doUpdateSet((eb) => ({
        base_url: eb.ref('excluded.base_url'),
        token_ref: eb.ref('excluded.token_ref'),
        cursor: sql<
          string | null
        >`CASE WHEN api_sources.base_url = excluded.base_url THEN api_sources.cursor END`,
      })),
    )
    .execute();
  return db.selectFrom('api_sources').selectAll().where('source', '=', s.source).executeTakeFirstOrThrow();
}
