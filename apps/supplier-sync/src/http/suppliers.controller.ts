import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { DatabaseConnection, CurrentCaller, Idempotent, legalEntityCheckOf, RequestSchema, Roles, type Caller } from '@finmesh/service-kit';
import { FUSION_SUPPLIER_SCHEMA, type LegalEntityLookup } from '@finmesh/adapters';
import type { Response } from 'express';
import { supplierMasterFromFusion } from '../adapters/fusion-supplier-binding';
import { SupplierMasterUpdater } from '../suppliers/supplier-master-updater';
import { SupplierStore } from '../suppliers/supplier-store';
import { seesUnmaskedSupplierData, supplierView, type SupplierView } from '../suppliers/supplier-view';

export const LEGAL_ENTITY_LOOKUP = Symbol('supplier-sync.legal-entity-lookup');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller('v1')
export class SuppliersController {
  private readonly store = new SupplierStore();

  constructor(
    private readonly updater: SupplierMasterUpdater,
    private readonly db: DatabaseConnection,
    @Inject(LEGAL_ENTITY_LOOKUP) private readonly legalEntities: LegalEntityLookup,
  ) {}

  /**
   * The ERP pushes a supplier (Fusion Suppliers resource with addresses, sites and bank accounts).
   * 201 when finmesh did not know it, 200 otherwise (also for an identical re-send: nothing published).
   * A payload that cannot be mapped throws MappingError -> 422 with every bad field, nothing written.
   */
  @Post('erp/suppliers')
  @Roles('erp-platform')
  @Idempotent()
  @RequestSchema(FUSION_SUPPLIER_SCHEMA, 'A Fusion supplier with its addresses, sites and external bank accounts.')
  async upsertFromErp(@Body() body: unknown, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<SupplierView> {
    const master = supplierMasterFromFusion(body, this.legalEntities);
    legalEntityCheckOf(caller)(master.legalEntity.code, `supplier ${master.supplierNumber}`);
    const result = await this.updater.apply(master, caller.clientId);
    res.status(result.created ? 201 : 200);
    return supplierView(result.supplier, seesUnmaskedSupplierData(caller.roles));
  }

  @Get('suppliers/:id')
  @Roles('procurement-platform', 'ap-platform', 'erp-platform', 'finance-approver', 'ops')
  async get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<SupplierView> {
    const supplier = UUID.test(id) ? await this.store.find(this.db.dataSource.manager, id) : undefined;
    if (!supplier) throw new NotFoundException(`no supplier with id ${id}`);
    return supplierView(supplier, seesUnmaskedSupplierData(caller.roles));
  }
}
