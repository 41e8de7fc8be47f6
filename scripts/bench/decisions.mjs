#!/usr/bin/env node
// Operators, roles and the decision trail (issue 9), on `demo --scale 20` (a measurement, not a test):
//   every list method of the issue p95 ≤ 50 ms; `audit verify` of 1,000,000 entries ≤ 3 s;
//   backup ≤ 2 × copying the store file with cp; impact preview of a level-table change ≤ 2 × a
//   full recompute.
// usage: node scripts/bench/decisions.mjs [--scale N] [--audit N] [--only lists,audit,backup,preview]
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  arg,
  listMethodRows,
  bundle,
  cachedDemoStore,
  copyOf,
  currentFor,
  ms,
  now,
  p95,
  report,
  work,
} from './lib/bench-kit.mjs';

const scale = Number(arg('scale', '20'));
const auditEntries = Number(arg('audit', '1000000'));
const { mod: E, files } = await bundle({
  'decisions-entry': join(import.meta.dirname, 'decisions-entry.ts'),
  'full-run-worker': join(import.meta.dirname, '..', '..', 'src', 'main', 'engine', 'full-run-worker.ts'),
  'audit-verify-worker': join(import.meta.dirname, '..', '..', 'src', 'main', 'audit', 'verify-worker.ts'),
});
process.env.YUNKE_FULL_RUN_WORKER = files['full-run-worker'];
process.env.YUNKE_AUDIT_VERIFY_WORKER = files['audit-verify-worker'];
const only = arg('only', 'lists,audit,backup,preview').split(',');
const part = (name) => only.includes(name);
const file = copyOf(cachedDemoStore(scale, currentFor(E)));
const store = E.openStore(file);
const admin = { operatorId: 'bench-admin', role: 'admin', name: 'bench' };
const support = { operatorId: 'bench-support', role: 'support', name: 'bench' };
const ctx = (actor) => ({ store, session: { actor }, transport: 'bridge', version: 'bench' });
const asOf = Date.parse('2026-11-01T00:00:00+08:00');

// a full recompute first: the store has results, as in use
const rows = [];
let t0 = now();
let fullMs = 0;
if (part('lists') || part('preview')) {
  E.recomputeFull(store, { asOf });
  await E.backgroundWork();
  fullMs = ms(t0);
}

if (part('lists')) {
  // 1. list methods, 60 calls each with varied inputs (the first 10 warm the caches and are dropped)
  rows.push(...(await listMethodRows(E, ctx, store)));
}

if (part('audit')) {
  // 2. audit verify of N entries (a store of its own, chained by the app's own append)
  const auditStore = E.openStore(join(work, 'audit.db'));
  t0 = now();
  auditStore.sqlite.exec('BEGIN');
  for (let i = 0; i < auditEntries; i++)
    E.appendAuditSync(
      auditStore.sqlite,
      {
        actor: i % 3 ? admin : support,
        action: i % 2 ? 'blacklist.add' : 'payout.batch.approve',
        entity: 'partner',
        entityId: `P${i % 5000}`,
        reason: '复核材料无误，按规则处理',
        before: { n: i },
        after: { n: i + 1, ok: true },
      },
      1_780_000_000_000 + i,
    );
  auditStore.sqlite.exec('COMMIT');
  const fillMs = ms(t0);
  const verifies = [];
  for (let r = 0; r < 3; r++) {
    t0 = now();
    const v = await E.verifyAuditStore(auditStore);
    verifies.push(ms(t0));
    if (!v.intact || v.entries !== auditEntries) throw new Error('the chain did not verify');
  }
  const verifyMs = Math.min(...verifies);
  console.log(
    `audit log of ${auditEntries.toLocaleString('en-US')} entries appended in ${(fillMs / 1000).toFixed(1)} s`,
  );
  rows.push([
    `audit verify, ${auditEntries.toLocaleString('en-US')} entries`,
    '≤ 3 s',
    `${(verifyMs / 1000).toFixed(2)} s (runs ${verifies.map((v) => (v / 1000).toFixed(2)).join(' / ')})`,
    verifyMs <= 3000,
  ]);
  const auditList = [];
  for (let i = 0; i < 60; i++) {
    const t = now();
    await E.dispatch(
      { store: auditStore, session: { actor: support }, transport: 'bridge', version: 'b' },
      'audit.list',
      {
        operatorId: 'bench-support',
        action: 'blacklist.',
        limit: 50,
        offset: (i % 10) * 50,
      },
    );
    if (i >= 10) auditList.push(ms(t));
  }
  rows.push([
    `audit.list on ${auditEntries.toLocaleString('en-US')} entries p95`,
    '≤ 50 ms',
    `${p95(auditList).toFixed(1)} ms`,
    p95(auditList) <= 50,
  ]);
  await auditStore.close();
}

if (part('backup')) {
  // 3. backup vs cp of the same file
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(file).size;
  const cps = [];
  const backups = [];
  const verifyBackups = [];
  for (let r = 0; r < 3; r++) {
    // each copy starts with no dirty pages of the one before it to write back (the kernel's
    // writeback of 1 GB made whichever copy came second up to 10 times slower)
    execFileSync('sync');
    t0 = now();
    execFileSync('cp', [file, join(work, `cp-${r}.db`)]);
    cps.push(ms(t0));
    execFileSync('sync');
    const b = await E.backupStore(store, join(work, `backup-${r}.db`));
    backups.push(b.copyMs);
    verifyBackups.push(b.verifyMs);
  }
  const cpMs = Math.min(...cps);
  const backupMs = Math.min(...backups);
  rows.push([
    `backup of ${(bytes / 1048576).toFixed(0)} MB (copy)`,
    '≤ 2 × cp',
    `${(backupMs / 1000).toFixed(2)} s = ${(backupMs / cpMs).toFixed(2)} × cp ${(cpMs / 1000).toFixed(2)} s`,
    backupMs <= 2 * cpMs,
  ]);
  rows.push([
    `backup verification (integrity_check)`,
    'reported',
    `${(Math.min(...verifyBackups) / 1000).toFixed(2)} s`,
    undefined,
  ]);
}

if (part('preview')) {
  // 4. impact preview of a level-table change vs a full recompute
  const config = structuredClone(E.defaultRuleConfig);
  config.levels[1].threshold = 8;
  config.levels[0].ratio_bp = 2100;
  t0 = now();
  const preview = await E.runDecisionOnFile(file, {
    change: { kind: 'config', config },
    actor: admin,
    reason: 'bench: level table',
    effectiveAt: 0,
    recordedAt: Date.now(),
    commit: false,
    limit: 500,
  });
  const previewMs = ms(t0);
  rows.push([
    `impact preview of a level-table change (${preview.orders.total.toLocaleString('en-US')} orders, ${preview.partners.total} partners change)`,
    '≤ 2 × full',
    `${(previewMs / 1000).toFixed(1)} s = ${(previewMs / fullMs).toFixed(2)} × full ${(fullMs / 1000).toFixed(1)} s`,
    previewMs <= 2 * fullMs,
  ]);
}

await store.close();
report(`decisions bench, demo --scale ${scale}`, rows);
