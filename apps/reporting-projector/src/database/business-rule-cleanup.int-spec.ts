import type { DataSource } from 'typeorm';
import { runSchemaMigrations } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, testDataSource } from '@finmesh/testing';
import { REPORTING_MIGRATIONS } from './migrations';

/**
 * The clean-up migration on the machine's PostgreSQL: the read models as an earlier build left
 * them (with rows the business rules now forbid), then the migration.
 */
describe('002-business-rule-cleanup', () => {
  let schema: string;
  let db: DataSource;

  beforeAll(async () => {
    schema = await createTestSchema();
    db = await testDataSource(schema, 2);
    await runSchemaMigrations(db, schema, REPORTING_MIGRATIONS.slice(0, 1));
  });

  afterAll(async () => {
    await db?.destroy();
    await dropTestSchema(schema);
  });

  it('reports and removes every aggregate that breaks a rule, with its child rows, and keeps the rest', async () => {
    await db.query(`INSERT INTO purchase_orders (purchase_order_id, currency, total_net, total_gross) VALUES
      ('PO-OK', 'EUR', 100, 119), ('PO-ZZZ', 'ZZZ', 100, 119), ('PO-NEG-LINE', 'EUR', 10, 10)`);
    await db.query(`INSERT INTO purchase_order_lines (purchase_order_id, line_number, quantity, unit_price, amount, currency) VALUES
      ('PO-OK', 1, 2, 50, 100, 'EUR'), ('PO-ZZZ', 1, 2, 50, 100, 'ZZZ'), ('PO-NEG-LINE', 1, 1, 40, 40, 'EUR'), ('PO-NEG-LINE', 2, -1, 30, -30, 'EUR')`);
    await db.query(`INSERT INTO payments (payment_id, amount, currency) VALUES ('PAY-OK', 10, 'EUR'), ('PAY-NO-ALLOC', 10, 'EUR')`);
    await db.query(`INSERT INTO payment_allocations (payment_id, invoice_id, amount, currency) VALUES ('PAY-OK', 'INV-1', 10, 'EUR')`);
    await db.query(`INSERT INTO invoices (invoice_id, currency) VALUES ('INV-1', 'EUR'), ('INV-BAD', 'EUR')`);
    await db.query(`INSERT INTO invoice_lines (invoice_id, line_number, amount, currency) VALUES ('INV-1', 1, 10, 'EUR'), ('INV-BAD', 1, 10, 'XXY')`);

    expect(await runSchemaMigrations(db, schema, REPORTING_MIGRATIONS)).toEqual(['002-business-rule-cleanup']);

    const ids = async (table: string, key: string) => ((await db.query(`SELECT ${key} AS id FROM ${table} ORDER BY 1`)) as { id: string }[]).map((r) => r.id);
    expect(await ids('purchase_orders', 'purchase_order_id')).toEqual(['PO-OK']);
    expect(await ids('purchase_order_lines', 'purchase_order_id')).toEqual(['PO-OK']);
    expect(await ids('payments', 'payment_id')).toEqual(['PAY-OK']);
    expect(await ids('invoices', 'invoice_id')).toEqual(['INV-1']);
    expect(await ids('invoice_lines', 'invoice_id')).toEqual(['INV-1']);

    const removed = (await db.query(`SELECT table_name, aggregate_id, rule, row_data->>'currency' AS currency FROM business_rule_removals ORDER BY 1, 2, 4`)) as Array<Record<string, string>>;
    expect(removed).toEqual([
      { table_name: 'invoice_lines', aggregate_id: 'INV-BAD', rule: 'finmesh.common.Money.currency format', currency: 'XXY' },
      { table_name: 'invoices', aggregate_id: 'INV-BAD', rule: 'finmesh.common.Money.currency format', currency: 'EUR' },
      { table_name: 'payments', aggregate_id: 'PAY-NO-ALLOC', rule: 'finmesh.payment.PaymentReleased.allocations minItems', currency: 'EUR' },
      { table_name: 'purchase_order_lines', aggregate_id: 'PO-NEG-LINE', rule: 'finmesh.common.PurchaseOrderLine.amount.amount minimum', currency: 'EUR' },
      { table_name: 'purchase_order_lines', aggregate_id: 'PO-NEG-LINE', rule: 'finmesh.common.PurchaseOrderLine.amount.amount minimum', currency: 'EUR' },
      { table_name: 'purchase_order_lines', aggregate_id: 'PO-ZZZ', rule: 'finmesh.common.Money.currency format', currency: 'ZZZ' },
      { table_name: 'purchase_orders', aggregate_id: 'PO-NEG-LINE', rule: 'finmesh.common.PurchaseOrderLine.amount.amount minimum', currency: 'EUR' },
      { table_name: 'purchase_orders', aggregate_id: 'PO-ZZZ', rule: 'finmesh.common.Money.currency format', currency: 'ZZZ' },
    ]);
  });
});
