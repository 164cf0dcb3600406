import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { testDataSource } from '@finmesh/testing';
import { postgresPoolOf } from './postgres-pool';

describe('postgresPoolOf', () => {
  it('is undefined until the DataSource has connected (TypeORM creates the pool then)', () => {
    const ds = new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
    expect(postgresPoolOf(ds)).toBeUndefined();
  });

  it("returns the PostgresDriver's pg Pool once connected, the one TypeORM's own queries use", async () => {
    const ds = await testDataSource('public', 2);
    try {
      const pool = postgresPoolOf(ds);
      expect(pool).toBeInstanceOf(Pool);
      expect((await pool!.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      expect(pool!.totalCount).toBeGreaterThan(0);
    } finally {
      await ds.destroy();
    }
  });
});
