// Issue 18, "a checkpoint can also be saved and shared": the graph codec writes what `copyGraph` copies and
// reads it back with the same classes, callbacks, sharing and cycles; anything it cannot write is named in plain
// language, and damaged bytes are refused, never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bound, boundFn, stateless } from './bound';
import {
  type CodecRegistry,
  decodeGraph,
  encodeGraph,
  registryOf,
  SnapshotCodecError,
  simRegistry,
} from './snapshot-codec';
import { Timer } from './timer';

class Counter {
  count = 0;
  readonly log: string[] = [];
  tick(step: number, note: string): void {
    this.count += step;
    this.log.push(note);
  }
}

class Named extends Map<string, number> {
  label = 'named';
  total(): number {
    return [...this.values()].reduce((a, b) => a + b, 0);
  }
}

class Derived extends Counter {
  twice(step: number): void {
    this.tick(step * 2, 'twice');
  }
}

function addTo(target: { sum: number }, n: number): number {
  target.sum += n;
  return target.sum;
}

const double = stateless(function double(n: number): number {
  return n * 2;
});

const CONSTANT = Object.freeze({ name: 'shared constant' });
const KEY = Symbol('exported key');

const registry: CodecRegistry = registryOf(
  new Map<string, Record<string, unknown>>([
    ['test/module.ts', { Counter, Named, Derived, addTo, double, CONSTANT, KEY }],
  ]),
);

async function roundTrip<T>(
  v: T,
  options: { external?: Map<object, string>; given?: Map<string, unknown> } = {},
) {
  const bytes = await encodeGraph(v, {
    registry,
    ...(options.external ? { external: options.external } : {}),
  });
  return (await decodeGraph(bytes, { registry, ...(options.given ? { external: options.given } : {}) })) as T;
}

describe('snapshot codec (issue 18)', () => {
  it('keeps primitives the JSON way cannot: undefined, -0, NaN, infinities, bigints, large integers', async () => {
    const v = {
      u: undefined,
      negZero: -0,
      nan: Number.NaN,
      inf: -Infinity,
      big: -(2n ** 90n) + 7n,
      large: 2 ** 60,
      time: 86_400_000_123,
      negative: -123_456,
      fraction: 0.1,
      text: 'Gi0/1 — ünïcödé ✓',
      flags: [true, false, null],
    };
    const out = await roundTrip(v);
    expect(Object.is(out.negZero, -0)).toBe(true);
    expect(out).toStrictEqual(v);
    expect('u' in out).toBe(true);
  });

  it('keeps classes, Map and Set (and a Map subclass), cycles and sharing', async () => {
    const c = new Derived();
    c.tick(3, 'three');
    const shared = { hits: 1 };
    const named = new Named([['a', 1]]);
    named.label = 'renamed';
    const graph = {
      c,
      again: c,
      named,
      map: new Map<unknown, unknown>([
        [shared, 'object key'],
        ['s', shared],
      ]),
      set: new Set<unknown>([shared, 4]),
      self: undefined as unknown,
      date: new Date(1_000),
      re: /ab+c/gi,
      weak: new WeakSet<object>([shared]),
      nullProto: Object.assign(Object.create(null) as object, { x: 1 }),
    };
    graph.self = graph;
    const out = await roundTrip(graph);
    expect(out.c).toBeInstanceOf(Derived);
    expect(out.c.count).toBe(3);
    expect(out.again).toBe(out.c);
    expect(out.self).toBe(out);
    out.c.twice(5);
    expect(out.c.count).toBe(13);
    expect(c.count).toBe(3);
    expect(out.named).toBeInstanceOf(Named);
    expect(out.named.total()).toBe(1);
    expect(out.named.label).toBe('renamed');
    const key = [...out.map.keys()][0] as object;
    expect(out.map.get('s')).toBe(key);
    expect(out.set.has(key)).toBe(true);
    expect(out.date.getTime()).toBe(1_000);
    expect(out.re.source).toBe('ab+c');
    expect(out.re.flags).toBe('gi');
    expect(out.weak).toBeInstanceOf(WeakSet);
    expect(Object.getPrototypeOf(out.nullProto)).toBeNull();
  });

  it('keeps views of one buffer sharing one buffer', async () => {
    const buffer = new ArrayBuffer(16);
    const bytes = new Uint8Array(buffer, 4, 8);
    const words = new Uint32Array(buffer);
    const view = new DataView(buffer, 2, 6);
    bytes.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = await roundTrip({
      bytes,
      words,
      view,
      floats: new Float64Array([1.5, -0]),
      big: new BigInt64Array([-5n]),
    });
    expect([...out.bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out.bytes.buffer).toBe(out.words.buffer);
    expect(out.view.buffer).toBe(out.words.buffer);
    expect([out.view.byteOffset, out.view.byteLength]).toEqual([2, 6]);
    out.words[1] = 0xffffffff;
    expect([...out.bytes.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    expect(Object.is(out.floats[1], -0)).toBe(true);
    expect(out.big[0]).toBe(-5n);
    const shared = new Uint8Array(new SharedArrayBuffer(4));
    shared[3] = 7;
    const twice = await roundTrip({ a: shared, b: new Uint8Array(shared.buffer, 2) });
    expect(twice.a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(twice.b.buffer).toBe(twice.a.buffer);
    expect([...twice.b]).toEqual([0, 7]);
  });

  it('keeps frozen objects frozen and names an exported frozen constant, symbol keys and fields named __proto__', async () => {
    const o = JSON.parse('{"__proto__": {"evil": true}, "ok": 1}') as Record<string, unknown>;
    const graph = {
      constant: CONSTANT,
      frozen: Object.freeze([1, 2]),
      [Symbol.for('getlab.test')]: 'global symbol',
      [KEY]: 'exported symbol',
      o,
    };
    const out = await roundTrip(graph);
    expect(out.constant).toBe(CONSTANT);
    expect(Object.isFrozen(out.frozen)).toBe(true);
    expect(out.frozen).toEqual([1, 2]);
    expect(out[Symbol.for('getlab.test')]).toBe('global symbol');
    expect(out[KEY]).toBe('exported symbol');
    expect(Object.getPrototypeOf(out.o)).toBe(Object.prototype);
    expect(Object.keys(out.o)).toEqual(['__proto__', 'ok']);
  });

  it('makes bound callbacks again on the decoded target, module functions by name, stateless ones shared', async () => {
    const c = new Derived();
    const sum = { sum: 1 };
    const graph = {
      c,
      sum,
      onTick: bound(c, c.tick, 2),
      onTwice: bound(c, c.twice),
      add: boundFn(addTo, sum),
      double,
      callbacks: [] as unknown[],
    };
    // A target that holds its own callback is a cycle through a function.
    (c as unknown as { self: unknown }).self = graph.onTick;
    const out = await roundTrip(graph);
    out.onTick('from the copy');
    out.onTwice(10);
    expect(out.c.count).toBe(22);
    expect(out.c.log).toEqual(['from the copy', 'twice']);
    expect(c.count).toBe(0);
    expect(out.add(5)).toBe(6);
    expect(sum.sum).toBe(1);
    expect(out.double).toBe(double);
    expect((out.c as unknown as { self: unknown }).self).toBe(out.onTick);
  });

  it('keeps a settled promise as its value and refuses a pending one', async () => {
    const value = { key: new Uint8Array([9, 9]) };
    const out = await roundTrip({ value, p: Promise.resolve(value) });
    expect(await out.p).toBe(out.value);
    await expect(encodeGraph({ p: new Promise(() => undefined) }, { registry })).rejects.toThrow(
      /pending promise/,
    );
  });

  it('writes an external object by name and reads back the one given', async () => {
    const trace = { records: ['huge'] };
    const stand = { records: [] };
    const out = await roundTrip(
      { a: trace, b: [trace] },
      { external: new Map([[trace, 'trace']]), given: new Map([['trace', stand]]) },
    );
    expect(out.a).toBe(stand);
    expect(out.b[0]).toBe(stand);
  });

  it('exports CryptoKeys and imports them again (HMAC, ECDH, RSA)', async () => {
    const hmac = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(20).fill(7),
      { name: 'HMAC', hash: 'SHA-1' },
      true,
      ['sign'],
    );
    const ecdh = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const rsa = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-1',
      },
      true,
      ['sign', 'verify'],
    );
    const out = await roundTrip({ hmac, ecdh, rsa });
    const data = new Uint8Array([1, 2, 3]);
    const mac = async (k: CryptoKey) => [...new Uint8Array(await crypto.subtle.sign('HMAC', k, data))];
    expect(await mac(out.hmac)).toEqual(await mac(hmac));
    const bits = async (priv: CryptoKey, pub: CryptoKey) => [
      ...new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, priv, 256)),
    ];
    expect(await bits(out.ecdh.privateKey, ecdh.publicKey)).toEqual(
      await bits(ecdh.privateKey, ecdh.publicKey),
    );
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', out.rsa.privateKey, data);
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', rsa.publicKey, signature, data)).toBe(true);
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', out.rsa.publicKey, signature, data)).toBe(true);
  });

  it('names what it cannot write: a closure, a class or function no module exports, a key that cannot be exported', async () => {
    const c = new Counter();
    await expect(encodeGraph({ f: () => c.tick(1, 'x') }, { registry })).rejects.toThrow(
      /closure \(\(\) => c\.tick/,
    );
    class Hidden {
      x = 1;
    }
    await expect(encodeGraph([new Hidden()], { registry })).rejects.toThrow(
      /class Hidden, which no simulator module exports, so it cannot be saved\. \(reached through Array > Hidden\)/,
    );
    function hiddenFn(): void {}
    await expect(encodeGraph(boundFn(hiddenFn), { registry })).rejects.toThrow(/function hiddenFn/);
    const key = await crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'AES-CBC' }, false, [
      'encrypt',
    ]);
    await expect(encodeGraph({ key }, { registry })).rejects.toThrow(/AES-CBC key that cannot be exported/);
    await expect(encodeGraph({ key }, { registry })).rejects.toBeInstanceOf(SnapshotCodecError);
  });

  it('writes a chain of 200,000 objects without recursion', async () => {
    let head: { next?: unknown; n: number } = { n: 0 };
    for (let i = 1; i < 200_000; i++) head = { next: head, n: i };
    let out = (await roundTrip(head)) as { next?: unknown; n: number } | undefined;
    let length = 0;
    while (out) {
      length++;
      out = out.next as typeof out;
    }
    expect(length).toBe(200_000);
  });

  it('refuses a graph written by another build', async () => {
    const bytes = await encodeGraph({ a: 1 }, { registry });
    const other = registryOf(new Map([['test/other.ts', { Counter }]]));
    await expect(decodeGraph(bytes, { registry: other })).rejects.toThrow(/another version of GETLab/);
  });

  it('random bytes, truncations and flipped bytes are refused with a plain error, never anything else', async () => {
    const c = new Derived();
    const good = await encodeGraph(
      {
        c,
        cb: bound(c, c.tick, 1),
        m: new Map([['k', new Uint8Array([1, 2, 3])]]),
        big: 5n,
        list: [1, 'two', c],
      },
      { registry },
    );
    const refusedPlainly = async (bytes: Uint8Array): Promise<boolean> => {
      try {
        await decodeGraph(bytes, { registry });
        return true;
      } catch (e) {
        return e instanceof SnapshotCodecError && e.message.length > 0;
      }
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), refusedPlainly), { numRuns: 200 });
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), async (n) => {
        const cut = good.slice(0, n);
        await expect(decodeGraph(cut, { registry })).rejects.toBeInstanceOf(SnapshotCodecError);
        return true;
      }),
      { numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const bad = good.slice();
        bad[i] = bad[i]! ^ x;
        return refusedPlainly(bad);
      }),
      { numRuns: 300 },
    );
  });

  it('the simulator registry names every exported class by its module path under src/sim', async () => {
    const sim = await simRegistry();
    expect(sim.nameOf.get(Timer)).toBe('kernel/timer.ts#Timer');
    expect(sim.valueOf.get('kernel/timer.ts#Timer')).toBe(Timer);
    expect(sim.build).toMatch(/^[0-9a-f]{16}$/);
    const names = [...sim.valueOf.keys()];
    expect(names.filter((n) => /\.test(-support)?\.ts#/.test(n))).toEqual([]);
    expect(names).toContain('scenario/lab.ts#Lab');
  });
});
