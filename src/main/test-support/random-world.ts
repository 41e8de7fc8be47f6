/**
 * Random worlds for property tests (engine and decision runs): a small store as a list of insert
 * actions, so that it can be replayed in any order. Test support only.
 */
import type { World } from './world';

/** A small random world as a list of insert actions (so that it can be replayed in any order). */
export type Action = (w: World) => void;

export function randomWorld(seed: number, size = 1): { actions: Action[]; later: Action[] } {
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const day = (d: number, h = 10) =>
    `2026-${String(3 + Math.floor(d / 28)).padStart(2, '0')}-${String((d % 28) + 1).padStart(2, '0')} ${String(h).padStart(2, '0')}:00:00`;
  const actions: Action[] = [];
  const later: Action[] = [];
  const np = 3 + Math.floor(rnd() * 3);
  const nc = Math.floor((6 + rnd() * 12) * size);
  const phones = ['13700000001', '13700000002', '13700000003'];
  const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
  for (let p = 0; p < np; p++) {
    const status = rnd() < 0.15 ? 'applied' : 'active';
    const phone = rnd() < 0.15 ? pick(phones) : `1380000${String(p).padStart(4, '0')}`;
    const idNumber = `1101011990${String(p).padStart(8, '0')}`;
    actions.push((w) => w.partner(`P${p}`, { status, phone, idNumber }));
    if (rnd() < 0.3) {
      const ip = pick(ips);
      actions.push((w) => w.loginIp(`A-P${p}`, ip));
    }
    if (rnd() < 0.15) {
      const from = day(Math.floor(rnd() * 40));
      const restrictPromotion = rnd() < 0.5;
      actions.push((w) => w.blacklist(`P${p}`, from, { restrictPromotion }));
    }
    if (rnd() < 0.15) {
      const lvl = pick(['L2', 'L3', 'L4']);
      const end = rnd() < 0.5 ? day(30) : null;
      actions.push((w) => w.override(`P${p}`, lvl, day(0), end));
    }
  }
  let ev = 0;
  let or = 0;
  for (let c = 0; c < nc; c++) {
    const id = `C${String(c).padStart(3, '0')}`;
    const phone = rnd() < 0.2 ? pick(phones) : `1390000${String(c).padStart(4, '0')}`;
    const ip = rnd() < 0.2 ? pick(ips) : undefined;
    const channel = rnd() < 0.1 ? 'agent' : 'none';
    actions.push((w) => w.customer(id, { phone, ip, channel }));
    const nev = Math.floor(rnd() * 4);
    for (let e = 0; e < nev; e++) {
      const eid = `E${String(ev++).padStart(4, '0')}`;
      const p = `P${Math.floor(rnd() * np)}`;
      const kind = pick(['register', 'login', 'login', 'visit'] as const);
      const d = Math.floor(rnd() * 60);
      const eip = rnd() < 0.15 ? pick(ips) : null;
      actions.push((w) => w.event(eid, p, id, kind, day(d), eip));
    }
    if (rnd() < 0.15) {
      // R-DISP-2: a dispute about this customer, upheld (or upheld then revoked)
      const p = `P${Math.floor(rnd() * np)}`;
      const d = Math.floor(rnd() * 60);
      const status = rnd() < 0.8 ? 'upheld' : 'revoked';
      const disputeId = c + 1;
      actions.push((w) => w.manual(disputeId, p, id, day(d, 9), { status }));
    }
    const nor = Math.floor(rnd() * 4);
    for (let o = 0; o < nor; o++) {
      const oid = `O${String(or++).padStart(4, '0')}`;
      const d = Math.floor(rnd() * 70);
      const amount = pick([0, 100, 600, 1200, 2500, 30000]);
      const line = pick(['ecs', 'ecs', 'rds', 'cdn']);
      const billing = rnd() < 0.15 ? 'postpaid' : 'prepaid';
      const subscription = rnd() < 0.5;
      const target = rnd() < 0.25 ? later : actions;
      target.push((w) => w.order(oid, id, day(d, 12), amount, { line, billing, subscription }));
      if (rnd() < 0.2) {
        const rd = d + Math.floor(rnd() * 40);
        const amt = rnd() < 0.5 ? amount : Math.floor(amount / 3);
        target.push((w) => w.refund(`R-${oid}`, oid, day(rd, 13), amt));
      }
    }
  }
  return { actions, later };
}
