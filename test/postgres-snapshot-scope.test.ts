import { describe, expect, it } from 'vitest';
import { toExactPattern, toSnapshotScope } from '../src/adapters/postgres/snapshot-scope.js';
import { classifySqlText } from '../src/classify/sql/index.js';

async function scopeOf(sql: string) {
  return toSnapshotScope(await classifySqlText(sql, 'app'), 'app', sql);
}

describe('what a snapshot dumps', () => {
  it('dumps only the named tables or schemas when that is all a statement destroys', async () => {
    expect(await scopeOf('DROP TABLE bookings')).toEqual({ kind: 'tables', names: ['bookings'] });
    expect(await scopeOf('TRUNCATE a, public.b')).toEqual({
      kind: 'tables',
      names: ['a', 'public.b'],
    });
    expect(await scopeOf('DELETE FROM users')).toEqual({ kind: 'tables', names: ['users'] });
    expect(await scopeOf('DROP SCHEMA archive')).toEqual({ kind: 'schemas', names: ['archive'] });
  });

  it('dumps the whole database for CASCADE, DROP DATABASE and what names no table', async () => {
    expect(await scopeOf('TRUNCATE orders CASCADE')).toEqual({ kind: 'database', name: 'app' });
    expect(await scopeOf('DROP TABLE a CASCADE')).toEqual({ kind: 'database', name: 'app' });
    expect(await scopeOf('DROP DATABASE production')).toEqual({
      kind: 'database',
      name: 'production',
    });
    expect(await scopeOf("DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'users'; END $$")).toEqual({
      kind: 'database',
      name: 'app',
    });
  });

  it('quotes names so a pattern matches exactly one object', () => {
    expect(toExactPattern('public.Bookings')).toBe('"public"."Bookings"');
    expect(toExactPattern('"we.ird"."x""y"')).toBe('"we.ird"."x""y"');
    expect(toExactPattern('a*')).toBe('"a*"');
  });
});
