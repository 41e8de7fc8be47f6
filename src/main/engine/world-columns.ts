/**
 * A full recompute's events and orders, kept in columns (typed arrays and arrays of shared
 * strings) grouped by customer, and made into the engine's objects (EventIn, OrderIn) one
 * customer at a time, when its group is evaluated (full.ts).
 *
 * Why: the world of `demo --scale 20` holds 2M events and 1M orders. Kept as objects, each
 * survived the young generation and was copied by the scavenger twice while the world was being
 * read — 2.5–3 s of a recompute's engine thread went to those copies (issue 13). Objects made per
 * group die young, which costs the collector almost nothing; the columns are a few large arrays.
 */
import type { EventIn, OrderIn, RefundIn } from '../rules/types';
import { utf8Slice, type CopyRow } from '../store/pg-sync/copy-out';

/** A typed array that doubles when a row beyond its end is set. */
class NumberColumn<T extends Float64Array | Int32Array> {
  constructor(
    public data: T,
    private readonly make: (length: number) => T,
  ) {}
  push(i: number, v: number): void {
    if (i >= this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}
const float64s = () => new NumberColumn(new Float64Array(1024), (n) => new Float64Array(n));
const int32s = () => new NumberColumn(new Int32Array(1024), (n) => new Int32Array(n));

/**
 * The rows' ids, in the order added: the strings given (a store file's rows), or the UTF-8 bytes of
 * COPY fields kept in one buffer (a team database's), made strings only when a customer's rows are
 * made objects. A million ids kept as strings for the whole run were copied twice each by the
 * young-generation collector while the world was read (issue 13).
 */
export class RowIds {
  private readonly strings: string[] = [];
  private bytes: Buffer = Buffer.allocUnsafe(0);
  private used = 0;
  /** bytes: id i is bytes [ends[i - 1], ends[i]) (ends[-1] taken as 0) */
  private ends = new Int32Array(0);
  private count = 0;
  /** a flag per row, 1 where its value is NULL (addNull); made at the first one */
  private nulls: Uint8Array | null = null;

  constructor(readonly fromBytes: boolean) {
    if (fromBytes) {
      this.bytes = Buffer.allocUnsafe(1 << 20);
      this.ends = new Int32Array(1 << 16);
    }
  }

  get length(): number {
    return this.count;
  }

  /** The next id, as text. */
  add(id: string): void {
    if (!this.fromBytes) {
      this.strings.push(id);
      this.count++;
      return;
    }
    this.room(3 * id.length);
    this.used += this.bytes.write(id, this.used, 'utf8');
    this.end();
  }

  /** The next value: none (NULL; get() gives null). */
  addNull(): void {
    const i = this.count;
    if (this.nulls === null || i >= this.nulls.length) {
      const more = new Uint8Array(Math.max(1024, (i + 1) * 2));
      if (this.nulls) more.set(this.nulls);
      this.nulls = more;
    }
    this.nulls[i] = 1;
    if (this.fromBytes) this.end();
    else this.add('');
  }

  /** The next id: field `i` of `r` (its escapes undone where it has any; a NULL one, null). */
  addField(r: CopyRow, i: number): void {
    if (!this.fromBytes || !r.plain(i)) {
      const t = r.text(i);
      if (t === null) this.addNull();
      else this.add(t);
      return;
    }
    const a = r.start[i];
    const len = r.end[i] - a;
    this.room(len);
    // (an id's few bytes: a loop costs less than Buffer's copy, a call into C++ with its checks)
    const src = r.buf;
    const dst = this.bytes;
    const at = this.used;
    for (let k = 0; k < len; k++) dst[at + k] = src[a + k];
    this.used = at + len;
    this.end();
  }

  /** Forgets every id. */
  clear(): void {
    this.strings.length = 0;
    this.used = 0;
    this.count = 0;
    this.nulls = null;
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + n) size *= 2;
    const bytes = Buffer.allocUnsafe(size);
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }

  private end(): void {
    const i = this.count++;
    if (i === this.ends.length) {
      const ends = new Int32Array(i * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[i] = this.used;
  }

  /** Value `i`, where some may be NULL (addNull). */
  nullable(i: number): string | null {
    return this.nulls !== null && i < this.nulls.length && this.nulls[i] === 1 ? null : this.get(i);
  }

  /** Id `i`. */
  get(i: number): string {
    if (!this.fromBytes) return this.strings[i];
    return utf8Slice.call(this.bytes, i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/**
 * The customers of a full recompute, in id order: customer `ci`'s id, subject and channel, the
 * subjects as COPY's bytes on a team database (made strings only when its group is evaluated) and
 * each channel a number of the few there are. Half a million customer objects (and their subjects'
 * strings) kept for the whole run were copied twice each by the young-generation collector while
 * the world was read (issue 13), as events and orders were (below).
 */
export class CustomerColumns {
  private readonly ids: string[] = [];
  private readonly subjects: RowIds;
  private readonly channelNames: (string | null)[] = [];
  private readonly channelNumbers = new Map<string | null, number>();
  private channels = new Uint8Array(1024);

  /** `fromBytes`: subjects given as COPY fields (addFrom), else as text (add) */
  constructor(fromBytes = false) {
    this.subjects = new RowIds(fromBytes);
  }

  get length(): number {
    return this.ids.length;
  }

  /** The next customer (in id order). */
  add(id: string, subjectId: string | null, channel: string | null): void {
    if (subjectId === null) this.subjects.addNull();
    else this.subjects.add(subjectId);
    this.addRest(id, channel);
  }

  /** add() of a customer whose subject is field `subjectField` of `r`. */
  addFrom(id: string, r: CopyRow, subjectField: number, channel: string | null): void {
    this.subjects.addField(r, subjectField);
    this.addRest(id, channel);
  }

  private addRest(id: string, channel: string | null): void {
    const i = this.ids.length;
    this.ids.push(id);
    let n = this.channelNumbers.get(channel);
    if (n === undefined) {
      n = this.channelNames.length;
      // (a channel is one of a few, import checks which: a 257th is refused rather than misread)
      if (n > 255) throw new Error('more than 256 customer channels');
      this.channelNames.push(channel);
      this.channelNumbers.set(channel, n);
    }
    if (i === this.channels.length) {
      const more = new Uint8Array(i * 2);
      more.set(this.channels);
      this.channels = more;
    }
    this.channels[i] = n;
  }

  /** Forgets every customer (they are read again, another way). */
  clear(): void {
    this.ids.length = 0;
    this.subjects.clear();
  }

  id(ci: number): string {
    return this.ids[ci];
  }

  subjectId(ci: number): string | null {
    return this.subjects.nullable(ci);
  }

  channel(ci: number): string | null {
    return this.channelNames[this.channels[ci]];
  }

  /** Every customer's id, in order (the list kept: not to be changed). */
  allIds(): readonly string[] {
    return this.ids;
  }
}

/**
 * Rows grouped by customer: `each(ci, …)` gives the row numbers of customer `ci` in (time, id) order.
 * Built once every row is added (a counting sort by customer, then each customer's few rows
 * sorted by time and id, as the object lists were: cmpTimeId).
 */
class ByCustomer {
  private start: Int32Array = new Int32Array(1);
  private order: Int32Array = new Int32Array(0);
  protected readonly customer = int32s();
  protected readonly at = float64s();

  constructor(
    protected readonly customers: number,
    protected readonly ids: RowIds,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** A row of customer `ci` at `at`, whose id was just added to `ids`: its number. */
  protected addRow(ci: number, at: number): number {
    const i = this.ids.length - 1;
    this.customer.push(i, ci);
    this.at.push(i, at);
    return i;
  }

  /** Groups the rows by customer, each customer's in (time, id) order. */
  seal(): void {
    const n = this.ids.length;
    const nc = this.customers;
    const start = new Int32Array(nc + 1);
    const customer = this.customer.data;
    for (let i = 0; i < n; i++) start[customer[i] + 1]++;
    for (let c = 0; c < nc; c++) start[c + 1] += start[c];
    const fill = start.slice(0, nc);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[customer[i]]++] = i;
    const at = this.at.data;
    const ids = this.ids;
    // a customer's rows are few: insertion sort by (time, id), stable as cmpTimeId's sort was (ids
    // compared as strings, as cmpTimeId compares them, only for rows of one time)
    const after = (x: number, y: number) => at[x] > at[y] || (at[x] === at[y] && ids.get(x) > ids.get(y));
    for (let c = 0; c < nc; c++) {
      const a = start[c];
      const b = start[c + 1];
      for (let k = a + 1; k < b; k++) {
        const row = order[k];
        let j = k - 1;
        while (j >= a && after(order[j], row)) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = row;
      }
    }
    this.start = start;
    this.order = order;
  }

  /** Calls `fn` with each row number of customer `ci`, in (time, id) order. */
  protected each(ci: number, fn: (row: number) => void): void {
    for (let k = this.start[ci], b = this.start[ci + 1]; k < b; k++) fn(this.order[k]);
  }

  protected count(ci: number): number {
    return this.start[ci + 1] - this.start[ci];
  }
}

// one shared empty list each for customers without events / orders and orders without refunds
// (the engine never changes its inputs)
const NO_EVENTS: EventIn[] = [];
const NO_ORDERS: OrderIn[] = [];
const NO_REFUNDS: RefundIn[] = [];

/** Referral events (register and login) of every customer. */
export class EventColumns extends ByCustomer {
  private readonly partners: string[] = [];
  private readonly register: Uint8Array[] = [];

  /** `fromBytes`: ids given as COPY fields (addFrom), else as text (add) */
  constructor(customers: number, fromBytes = false) {
    super(customers, new RowIds(fromBytes));
  }

  add(ci: number, id: string, partnerId: string, kind: 'register' | 'login', at: number): void {
    this.ids.add(id);
    this.addEvent(ci, partnerId, kind, at);
  }

  /** add() of an event whose id is field `idField` of `r`. */
  addFrom(
    ci: number,
    r: CopyRow,
    idField: number,
    partnerId: string,
    kind: 'register' | 'login',
    at: number,
  ): void {
    this.ids.addField(r, idField);
    this.addEvent(ci, partnerId, kind, at);
  }

  private addEvent(ci: number, partnerId: string, kind: 'register' | 'login', at: number): void {
    const i = this.addRow(ci, at);
    this.partners.push(partnerId);
    const chunk = i >> 16;
    if (chunk === this.register.length) this.register.push(new Uint8Array(1 << 16));
    this.register[chunk][i & 0xffff] = kind === 'register' ? 1 : 0;
  }

  /** Customer `ci`'s events by (time, id), as new objects (the engine may keep them). */
  of(ci: number): EventIn[] {
    if (this.count(ci) === 0) return NO_EVENTS;
    const out: EventIn[] = [];
    const at = this.at.data;
    this.each(ci, (i) =>
      out.push({
        id: this.ids.get(i),
        partnerId: this.partners[i],
        kind: this.register[i >> 16][i & 0xffff] === 1 ? 'register' : 'login',
        at: at[i],
      }),
    );
    return out;
  }
}

/** An order's values but its id. */
interface OrderFields {
  productLine: string;
  billing: string;
  subscription: boolean;
  paidFen: number;
  at: number;
}

/** Orders (with their refunds) of every customer. */
export class OrderColumns extends ByCustomer {
  private readonly lines: string[] = [];
  private readonly billing: string[] = [];
  private readonly paid = float64s();
  private readonly subscription: Uint8Array[] = [];
  private readonly refunds = new Map<number, RefundIn[]>();

  /** `fromBytes`: ids given as COPY fields (addFrom), else as text (add) */
  constructor(
    customers: number,
    private readonly customerId: (ci: number) => string,
    fromBytes = false,
  ) {
    super(customers, new RowIds(fromBytes));
  }

  add(ci: number, o: OrderFields & { id: string }, refunds: RefundIn[] | undefined): void {
    this.ids.add(o.id);
    this.addOrder(ci, o, refunds);
  }

  /** add() of an order whose id is field `idField` of `r`. */
  addFrom(ci: number, r: CopyRow, idField: number, o: OrderFields, refunds: RefundIn[] | undefined): void {
    this.ids.addField(r, idField);
    this.addOrder(ci, o, refunds);
  }

  private addOrder(ci: number, o: OrderFields, refunds: RefundIn[] | undefined): void {
    const i = this.addRow(ci, o.at);
    this.lines.push(o.productLine);
    this.billing.push(o.billing);
    this.paid.push(i, o.paidFen);
    const chunk = i >> 16;
    if (chunk === this.subscription.length) this.subscription.push(new Uint8Array(1 << 16));
    this.subscription[chunk][i & 0xffff] = o.subscription ? 1 : 0;
    if (refunds) this.refunds.set(i, refunds);
  }

  /** Customer `ci`'s orders by (time, id), as new objects (the engine may keep them). */
  of(ci: number): OrderIn[] {
    if (this.count(ci) === 0) return NO_ORDERS;
    const out: OrderIn[] = [];
    const at = this.at.data;
    const paid = this.paid.data;
    const customerId = this.customerId(ci);
    const refunds = this.refunds.size > 0;
    this.each(ci, (i) =>
      out.push({
        id: this.ids.get(i),
        customerId,
        productLine: this.lines[i],
        billing: this.billing[i],
        subscription: this.subscription[i >> 16][i & 0xffff] === 1,
        paidFen: paid[i],
        at: at[i],
        refunds: refunds ? (this.refunds.get(i) ?? NO_REFUNDS) : NO_REFUNDS,
      }),
    );
    return out;
  }
}
