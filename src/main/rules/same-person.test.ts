import { describe, expect, it } from 'vitest';
import { NodeValues } from './node-values';
import {
  buildSamePerson,
  IpPairBuilder,
  ipv4Number,
  ipv4NumberOfBytes,
  type IdentityNodes,
} from './same-person';

/** `n` nodes without a value. */
function none(n: number): NodeValues {
  const values = new NodeValues();
  for (let i = 0; i < n; i++) values.none();
  return values;
}

/** Customers C0…C(n-1), no partners, each with the IPs given (and no other evidence). */
function customersWithIps(ipsOf: string[][], shared: string[] = []) {
  const ip = new IpPairBuilder();
  ipsOf.forEach((ips, node) => ips.forEach((v) => ip.add(node, v)));
  const customerIds = ipsOf.map((_, i) => `C${i}`);
  const nodes: IdentityNodes = {
    customerIds,
    partnerIds: [],
    partnerAccounts: [],
    customerNodeOf: (id) => (customerIds.includes(id) ? customerIds.indexOf(id) : undefined),
    phones: none(customerIds.length),
    idNames: none(customerIds.length),
    ip: ip.build(),
  };
  return buildSamePerson(nodes, new Set(shared));
}

describe('same-person IP evidence', () => {
  it('R-SAME-1: IPs are compared as trimmed text (whitespace ignored, leading zeros and IPv6 kept as written)', () => {
    const sp = customersWithIps([
      ['10.0.0.1'],
      [' 10.0.0.1\t'],
      ['010.0.0.1'],
      ['::1'],
      ['::1 '],
      ['10.0.0.10'],
      ['255.255.255.255'],
      ['255.255.255.255'],
    ]);
    const group = (i: number) => sp.groupIdOf(i);
    expect(group(1)).toBe(group(0));
    expect(group(2)).not.toBe(group(0));
    expect(group(4)).toBe(group(3));
    expect(group(5)).not.toBe(group(0));
    expect(group(7)).toBe(group(6));
    expect(sp.edges.map((e) => [e.a, e.b, e.value])).toEqual([
      [0, 1, '10.0.0.1'],
      [3, 4, '::1'],
      [6, 7, '255.255.255.255'],
    ]);
  });

  it('R-SAME-1: an account seen on the same IP three times has exactly one IP edge to the other account', () => {
    const sp = customersWithIps([
      ['10.0.0.9'],
      ['10.0.0.9', ' 10.0.0.9', '10.0.0.9'],
      ['10.0.0.9', '10.0.0.9'],
    ]);
    expect(sp.edges.map((e) => [e.a, e.b, e.evidence, e.value])).toEqual([
      [0, 1, 'ip', '10.0.0.9'],
      [0, 2, 'ip', '10.0.0.9'],
    ]);
  });

  it('R-SAME-4: a shared IP is no evidence, an empty one neither', () => {
    const sp = customersWithIps([['10.0.0.7', ' '], ['10.0.0.7 '], ['']], ['10.0.0.7']);
    expect(new Set([0, 1, 2].map((i) => sp.groupIdOf(i))).size).toBe(3);
    expect(sp.edges).toEqual([]);
  });

  it('R-SAME-1, R-SAME-4: an IPv4 evidence value reads as written, high and low addresses alike; a mark matches its exact text', () => {
    const sp = customersWithIps(
      [
        ['0.0.0.0', '128.0.0.1', '200.10.3.4', '10.0.0.1', '10.0.0.2'],
        ['0.0.0.0 ', '128.0.0.1', ' 200.10.3.4', '10.0.0.1', '10.0.0.2'],
      ],
      // a mark is the trimmed text of an IP: one with spaces marks nothing
      ['10.0.0.1', ' 10.0.0.2'],
    );
    expect(sp.edges.map((e) => e.value)).toEqual(['0.0.0.0', '128.0.0.1', '200.10.3.4', '10.0.0.2']);
  });

  it('R-SAME-1: thousands of distinct IPs keep their own identity', () => {
    const ipsOf = Array.from({ length: 5000 }, (_, i) => [`10.${(i >> 8) & 255}.${i & 255}.1`]);
    ipsOf.push(['10.19.135.1']); // node 19 × 256 + 135 has it too
    const sp = customersWithIps(ipsOf);
    expect(sp.groupIdOf(5000)).toBe(sp.groupIdOf(19 * 256 + 135));
    expect(sp.edges).toHaveLength(1);
  });
});

describe('R-SAME-1: an IP read from a team database’s bytes is the IP read as text (issue 13)', () => {
  it('ipv4Number and ipv4NumberOfBytes give a canonical dotted quad’s number and -1 for every other text', () => {
    const texts = [
      '1.2.3.4',
      '255.255.255.255',
      '0.0.0.0',
      '10.0.0.1',
      '01.2.3.4',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.4 ',
      ' 1.2.3.4',
      '1..2.3',
      'a.b.c.d',
      '::1',
      'fe80::1',
      '１.２.３.４',
      '',
      '1.2.3.04',
      '192.168.001.1',
      '999.999.999.999',
      '1.2.3.-4',
    ];
    // and random ones made of the characters that matter
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 5000; i++) {
      let t = '';
      for (let n = next() % 17; n > 0; n--) t += '0123456789..'[next() % 12];
      texts.push(t);
    }
    // what a canonical dotted quad is, said another way: four parts 0–255 without leading zeros
    const canonical = (t: string): number => {
      const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(t);
      if (!m || m.slice(1).some((p) => Number(p) > 255)) return -1;
      return m.slice(1).reduce((v, p) => v * 256 + Number(p), 0);
    };
    expect(ipv4Number('1.2.3.4')).toBe(0x01020304);
    expect(ipv4Number('255.255.255.255')).toBe(0xffffffff);
    for (const t of texts) {
      const b = Buffer.from(`x${t}y`, 'utf8');
      expect(ipv4Number(t), t).toBe(canonical(t));
      expect(ipv4NumberOfBytes(b, 1, b.length - 1), t).toBe(canonical(t));
    }
  });

  it('IpPairBuilder.addIpv4 numbers an IP as add() of its text does', () => {
    const byText = new IpPairBuilder();
    const byNumber = new IpPairBuilder();
    const ips = ['10.0.0.1', 'fe80::1', '10.0.0.2', '10.0.0.1', ' 10.0.0.2', 'fe80::1'];
    ips.forEach((ip, node) => {
      byText.add(node, ip);
      const num = ipv4Number(ip);
      if (num >= 0) byNumber.addIpv4(node, num);
      else byNumber.add(node, ip);
    });
    const a = byText.build();
    const b = byNumber.build();
    expect([...b.ids.subarray(0, b.count)]).toEqual([...a.ids.subarray(0, a.count)]);
    expect(b.distinct).toBe(a.distinct);
  });
});
