import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesTable } from './series-table.js';

const labels = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));

describe('series table', () => {
  it('finds a series by its labels, not by a prefix, an extension or a shifted split of them', () => {
    const table = new SeriesTable();
    const a = table.add(labels({ __name__: 'up', cluster: 'ab', job: 'x' }), 0, 0);
    assert.equal(table.find(labels({ __name__: 'up', cluster: 'ab', job: 'x' })), a);
    assert.equal(table.find(labels({ __name__: 'up', cluster: 'a', job: 'bx' })), -1);
    assert.equal(table.find(labels({ __name__: 'up', cluster: 'ab' })), -1);
    assert.equal(table.find(labels({ __name__: 'up', cluster: 'ab', job: 'x', le: '' })), -1);
  });

  it('reuses ids of removed series and keeps its size exact', () => {
    const table = new SeriesTable();
    const ids = Array.from({ length: 3000 }, (_, i) => table.add(labels({ __name__: 'up', instance: String(i) }), 0, 0));
    assert.equal(table.size, 3000);
    for (const id of ids.slice(0, 1000)) table.remove(id);
    assert.equal(table.size, 2000);
    assert.equal(table.find(labels({ __name__: 'up', instance: '5' })), -1);
    assert.equal(table.find(labels({ __name__: 'up', instance: '2500' })), ids[2500]);
    const again = table.add(labels({ __name__: 'up', instance: 'new' }), 0, 0);
    assert.ok(again < 1000);
    assert.equal(table.highWater, 3000);
  });
});

describe('series table: hash collisions', () => {
  it('keeps two series apart when their hashes collide (labels are compared on a hit)', () => {
    const collide = (_labels: unknown, out: Int32Array): void => {
      out[0] = 42;
      out[1] = 7;
    };
    const table = new SeriesTable(collide);
    const a = table.add(labels({ __name__: 'up', instance: 'a' }), 0, 0);
    assert.equal(table.find(labels({ __name__: 'up', instance: 'b' })), -1, 'same hash, other labels: not the same series');
    const b = table.add(labels({ __name__: 'up', instance: 'b' }), 0, 0);
    assert.notEqual(a, b);
    assert.equal(table.find(labels({ __name__: 'up', instance: 'a' })), a);
    assert.equal(table.find(labels({ __name__: 'up', instance: 'b' })), b);
    table.remove(a);
    assert.equal(table.find(labels({ __name__: 'up', instance: 'b' })), b, 'a deleted slot does not end the probe');
    assert.equal(table.find(labels({ __name__: 'up', instance: 'a' })), -1);
  });
});
