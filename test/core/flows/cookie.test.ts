import t from 'tap';
import {
  EXACT_MASK, MAGIC_COOKIE, MAGIC_MASK, OWNER_MASK, OwnerCollisionError, OwnerRegistry, cookieFor, cookieToString, hash16, ownerCookie, parseCookie,
} from '../../../src/core/flows/cookie.js';
import { TableError, TableRegistry } from '../../../src/core/flows/tables.js';
import { compileFlow, instructionsKey, slotKey } from '../../../src/core/flows/flow-spec.js';

t.test('cookie layout: magic 0x5359 | owner | generation | n, 16 bits each', async (t) => {
  t.equal(cookieFor(0x1234, 0x5678, 0x9abc), 0x5359_1234_5678_9abcn);
  t.equal(cookieFor(0, 0, 0), 0x5359_0000_0000_0000n);
  t.equal(cookieFor(0xffff, 0xffff, 0xffff), 0x5359_ffff_ffff_ffffn);
  t.same(parseCookie(0x5359_1234_5678_9abcn), { owner: 0x1234, generation: 0x5678, n: 0x9abc });
  t.same(parseCookie(0x5359_ffff_ffff_ffffn), { owner: 0xffff, generation: 0xffff, n: 0xffff });
  t.equal(parseCookie(0x5358_1234_5678_9abcn), undefined, 'another magic is not ours');
  t.equal(parseCookie(0n), undefined, 'cookie 0 (ovs-ofctl default) is not ours');
  t.throws(() => cookieFor(0x10000, 0, 0), RangeError, 'owner wider than 16 bits');
  t.throws(() => cookieFor(0, 0, -1), RangeError);
  t.equal(ownerCookie(0x1234) & OWNER_MASK, 0x5359_1234_0000_0000n, 'owner cookie under the owner mask');
  t.equal(MAGIC_COOKIE, 0x5359_0000_0000_0000n);
  t.equal(MAGIC_MASK, 0xffff_0000_0000_0000n);
  t.equal(EXACT_MASK, 2n ** 64n - 1n);
  // A masked delete on magic+owner matches every generation and flow of that owner, nobody else's.
  const sel = (c: bigint): boolean => (c & OWNER_MASK) === (ownerCookie(0x1234) & OWNER_MASK);
  t.ok(sel(cookieFor(0x1234, 1, 5)) && sel(cookieFor(0x1234, 999, 77)));
  t.notOk(sel(cookieFor(0x1235, 1, 5)));
  t.equal(cookieToString(cookieFor(1, 2, 3)), '0x5359000100020003');
});

t.test('owner ids are a stable hash; collisions are refused at registration', async (t) => {
  t.equal(hash16('l2-learning'), hash16('l2-learning'), 'deterministic');
  // FNV-1a 32 of "a" is the published test vector 0xe40c292c; folded: 0xe40c ^ 0x292c.
  t.equal(hash16('a'), 0xcd20, 'pinned: ids must not change between releases or cookies stop matching');
  const reg = new OwnerRegistry();
  const id = reg.register('l2-learning');
  t.equal(id, hash16('l2-learning'));
  t.equal(reg.register('l2-learning'), id, 'registering twice is idempotent');
  t.equal(reg.name(id), 'l2-learning');
  t.equal(reg.nameOf(cookieFor(id, 3, 4)), 'l2-learning');
  t.equal(reg.nameOf(0x1234n), undefined);
  // Find two names that collide (16 bits: a few hundred names suffice) and check the second is refused.
  const byHash = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined; i++) {
    const name = `app-${i}`;
    const h = hash16(name);
    const other = byHash.get(h);
    if (other !== undefined) pair = [other, name];
    else byHash.set(h, name);
  }
  const r2 = new OwnerRegistry();
  r2.register(pair[0]);
  t.throws(() => r2.register(pair[1]), OwnerCollisionError);
  t.equal(r2.id(pair[1]), undefined, 'the refused name is not registered');
});

t.test('tables: declared by name, ids by position, goto checked', async (t) => {
  const tables = new TableRegistry([
    { name: 'acl', miss: { goto: 'l2' }, next: ['l2'] },
    { name: 'l2', miss: 'controller', next: ['out'] },
    { name: 'out', miss: 'drop' },
  ]);
  t.same(tables.all().map((x) => [x.name, x.id]), [['acl', 0], ['l2', 1], ['out', 2]]);
  t.equal(tables.nameOf(1), 'l2');
  t.equal(tables.nameOf(9), undefined);
  t.same(tables.gotoInstruction(tables.get('acl'), 'l2'), { type: 'goto_table', table_id: 1 });
  t.throws(() => tables.gotoInstruction(tables.get('acl'), 'out'), /may not goto "out"/, 'not in next');
  t.throws(() => tables.gotoInstruction(tables.get('out'), 'acl'), /backwards/);
  t.throws(() => tables.get('nope'), TableError);
  t.same(tables.missInstructions(tables.get('acl')), [{ type: 'goto_table', table_id: 1 }]);
  t.same(tables.missInstructions(tables.get('out')), []);
  t.same(tables.missInstructions(tables.get('l2')), [{ type: 'apply_actions', actions: [{ type: 'output', port: 'controller', max_len: 'no_buffer' }] }]);
  t.throws(() => new TableRegistry([{ name: 'a', miss: 'drop' }, { name: 'a', miss: 'drop' }]), /declared twice/);
  t.throws(() => new TableRegistry([{ name: 'a', miss: { goto: 'b' } }]), /not a declared table/);
  t.throws(() => new TableRegistry([{ name: 'a', miss: 'drop' }, { name: 'b', miss: { goto: 'a' } }]), /backwards/);
  t.equal(new TableRegistry().get('main').id, 0, 'default layout: main is table 0');
});

t.test('slot keys are canonical: field order and instruction order do not matter', async (t) => {
  const a = slotKey('main', 10, [{ field: 'eth_dst', value: '00:00:00:00:00:01' }, { field: 'in_port', value: 1 }]);
  const b = slotKey('main', 10, [{ field: 'in_port', value: 1 }, { field: 'eth_dst', value: '00:00:00:00:00:01' }]);
  t.equal(a, b);
  t.not(a, slotKey('main', 11, [{ field: 'in_port', value: 1 }, { field: 'eth_dst', value: '00:00:00:00:00:01' }]), 'priority is part of it');
  t.not(a, slotKey('acl', 10, [{ field: 'in_port', value: 1 }, { field: 'eth_dst', value: '00:00:00:00:00:01' }]), 'table is part of it');
  t.not(a, slotKey('main', 10, [{ field: 'in_port', value: 2 }, { field: 'eth_dst', value: '00:00:00:00:00:01' }]), 'values are part of it');
  t.match(a, /^main\/10\/[0-9a-f]+$/, 'readable enough to carry in JSON');
  const apply = { type: 'apply_actions', actions: [{ type: 'output', port: 1, max_len: 0 }] } as const;
  const goto = { type: 'goto_table', table_id: 3 } as const;
  t.equal(instructionsKey([goto, apply]), instructionsKey([apply, goto]), 'switches report instructions in execution order');

  const tables = new TableRegistry([{ name: 'main', miss: 'controller', next: ['out'] }, { name: 'out', miss: 'drop' }]);
  const ctx = { dpid: 1n, owner: 'x', cookieBits: cookieFor(7, 2, 0), tables };
  const f = compileFlow({ priority: 5, match: [], actions: [{ type: 'output', port: 1, max_len: 0 }], goto: 'out', idleTimeout: 30 }, ctx);
  t.same(f.instructions, [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, max_len: 0 }] }, { type: 'goto_table', table_id: 1 }]);
  t.equal(f.table, 'main');
  t.equal(f.key, f.slot, 'default key is the slot');
  t.equal(f.sendFlowRemoved, true, 'a timed flow always asks for flow_removed so the cache learns of its expiry');
  t.equal(f.cookie, cookieFor(7, 2, hash16(f.key)));
  t.throws(() => compileFlow({ priority: 70000, match: [] }, ctx), RangeError);
  t.throws(() => compileFlow({ table: 'nope', priority: 1, match: [] }, ctx), TableError);
  t.equal(compileFlow({ priority: 1, match: [], key: 'mine' }, ctx).key, 'mine');
});
