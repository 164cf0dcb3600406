import { fusionAmountText, readFusionAmount } from '../fusion-amounts';
import { ValidationProblems } from '../fusion-errors';
import { isJsonObject, type JsonObject } from '../http-io';
import { DATE_PATTERN } from './clock';

/** The validated subset of a Payables invoice create payload that the simulator acts on. */
export interface InvoiceCreateRequest {
  readonly InvoiceNumber: string;
  readonly InvoiceCurrency: string;
  /** Canonical decimal string, whatever the client sent (string or number). */
  readonly InvoiceAmount: string;
  readonly InvoiceDate: string;
  readonly AccountingDate?: string;
  readonly BusinessUnit: string;
  readonly Supplier?: string;
  readonly SupplierNumber?: string;
  readonly SupplierSite: string;
  readonly Description?: string;
  readonly InvoiceType: string;
  readonly PurchaseOrderNumber?: string;
  readonly PaymentTerms?: string;
  readonly invoiceLines: readonly InvoiceLineRequest[];
}

export interface InvoiceDistributionRequest {
  readonly DistributionLineNumber: number;
  readonly DistributionLineType: string;
  readonly DistributionAmount: string;
  readonly DistributionCombination: string;
}

export interface InvoiceLineRequest {
  readonly LineNumber: number;
  readonly LineType: string;
  readonly LineAmount: string;
  readonly Description?: string;
  readonly Quantity?: string;
  readonly UnitPrice?: string;
  readonly UOM?: string;
  readonly TaxClassification?: string;
  readonly PurchaseOrderNumber?: string;
  readonly PurchaseOrderLineNumber?: number;
  readonly PurchaseOrderScheduleLineNumber?: number;
  /** Line-level account some clients send instead of a distribution. */
  readonly DistributionCombination?: string;
  readonly invoiceDistributions: readonly InvoiceDistributionRequest[];
}

const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const LINE_TYPES = ['Item', 'Freight', 'Miscellaneous', 'Tax'];

/** A positive integer sent as a JSON number or as digits in a string (Oracle's examples quote them). */
function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

function amount(value: unknown, path: string, problems: ValidationProblems, required = true): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) problems.add(path, `The attribute ${path.split('.').pop() ?? path} is required.`, 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  const parsed = readFusionAmount(value);
  if (!parsed) {
    problems.add(path, `The attribute ${path} must be a decimal amount, got ${JSON.stringify(value)}.`);
    return undefined;
  }
  return fusionAmountText(parsed);
}

function textOf(body: JsonObject, name: string, problems: ValidationProblems, path = name, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) problems.add(path, `The attribute ${name} is required.`, 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(path, `The attribute ${name} must be a string.`);
    return undefined;
  }
  return value;
}

/**
 * Checks the fields Fusion would refuse an invoice without, reporting every problem at once.
 * Business rules (open period, valid account, active supplier) are not modelled: they are what
 * the `business-rejection` fault is for. PO references are checked by the caller (see
 * purchase-orders.ts) once the body is valid.
 */
export function validateInvoiceCreate(body: JsonObject): InvoiceCreateRequest {
  const problems = new ValidationProblems();
  const text = (name: string, required = false) => textOf(body, name, problems, name, required);
  const date = (name: string, required: boolean): string | undefined => {
    const value = text(name, required);
    if (value !== undefined && !DATE_PATTERN.test(value)) {
      problems.add(name, `The attribute ${name} must be a date in YYYY-MM-DD format, got "${value}".`);
      return undefined;
    }
    return value;
  };

  const InvoiceNumber = text('InvoiceNumber', true);
  const InvoiceCurrency = text('InvoiceCurrency', true);
  if (InvoiceCurrency !== undefined && !CURRENCY_PATTERN.test(InvoiceCurrency)) {
    problems.add('InvoiceCurrency', `The attribute InvoiceCurrency must be an ISO 4217 code, got "${InvoiceCurrency}".`);
  }
  const InvoiceAmount = amount(body['InvoiceAmount'], 'InvoiceAmount', problems);
  const InvoiceDate = date('InvoiceDate', true);
  const AccountingDate = date('AccountingDate', false);
  const BusinessUnit = text('BusinessUnit', true);
  const Supplier = text('Supplier');
  const SupplierNumber = text('SupplierNumber');
  if (Supplier === undefined && SupplierNumber === undefined && body['Supplier'] == null && body['SupplierNumber'] == null) {
    problems.add('Supplier', 'Either Supplier or SupplierNumber is required.', 'FND_REST_REQUIRED_ATTR');
  }
  const SupplierSite = text('SupplierSite', true);
  const Description = text('Description');
  const InvoiceType = text('InvoiceType') ?? 'Standard';
  const PurchaseOrderNumber = text('PurchaseOrderNumber');
  const PaymentTerms = text('PaymentTerms');
  const invoiceLines = lines(body['invoiceLines'], problems);

  problems.throwIfAny();
  // After throwIfAny every required value is defined; the `as string` casts only tell the compiler.
  return {
    InvoiceNumber: InvoiceNumber as string,
    InvoiceCurrency: InvoiceCurrency as string,
    InvoiceAmount: InvoiceAmount as string,
    InvoiceDate: InvoiceDate as string,
    ...(AccountingDate !== undefined ? { AccountingDate } : {}),
    BusinessUnit: BusinessUnit as string,
    ...(Supplier !== undefined ? { Supplier } : {}),
    ...(SupplierNumber !== undefined ? { SupplierNumber } : {}),
    SupplierSite: SupplierSite as string,
    ...(Description !== undefined ? { Description } : {}),
    InvoiceType,
    ...(PurchaseOrderNumber !== undefined ? { PurchaseOrderNumber } : {}),
    ...(PaymentTerms !== undefined ? { PaymentTerms } : {}),
    invoiceLines,
  };
}

function lines(value: unknown, problems: ValidationProblems): InvoiceLineRequest[] {
  // Fusion accepts a header without lines (lines can be added later); the simulator does too.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add('invoiceLines', 'The attribute invoiceLines must be an array.');
    return [];
  }
  const result: InvoiceLineRequest[] = [];
  value.forEach((raw: unknown, index) => {
    const path = `invoiceLines[${index}]`;
    if (!isJsonObject(raw)) {
      problems.add(path, 'Each invoice line must be an object.');
      return;
    }
    const lineNumber = positiveInt(raw['LineNumber']);
    if (lineNumber === undefined) problems.add(`${path}.LineNumber`, 'The attribute LineNumber is required and must be a positive integer.', 'FND_REST_REQUIRED_ATTR');
    const lineType = textOf(raw, 'LineType', problems, `${path}.LineType`) ?? 'Item';
    if (!LINE_TYPES.includes(lineType)) problems.add(`${path}.LineType`, `LineType must be one of ${LINE_TYPES.join(', ')}, got "${lineType}".`);
    const lineAmount = amount(raw['LineAmount'], `${path}.LineAmount`, problems);
    const quantity = amount(raw['Quantity'], `${path}.Quantity`, problems, false);
    const unitPrice = amount(raw['UnitPrice'], `${path}.UnitPrice`, problems, false);
    const description = textOf(raw, 'Description', problems, `${path}.Description`);
    const uom = textOf(raw, 'UOM', problems, `${path}.UOM`);
    const tax = textOf(raw, 'TaxClassification', problems, `${path}.TaxClassification`);
    const combination = textOf(raw, 'DistributionCombination', problems, `${path}.DistributionCombination`);
    const poNumber = textOf(raw, 'PurchaseOrderNumber', problems, `${path}.PurchaseOrderNumber`);
    const intOf = (name: string): number | undefined => {
      const v = raw[name];
      if (v === undefined || v === null || v === '') return undefined;
      const n = positiveInt(v);
      if (n === undefined) problems.add(`${path}.${name}`, `${name} must be a positive integer, got ${JSON.stringify(v)}.`);
      return n;
    };
    const poLine = intOf('PurchaseOrderLineNumber');
    const poSchedule = intOf('PurchaseOrderScheduleLineNumber');
    const distributions = distributionsOf(raw['invoiceDistributions'], `${path}.invoiceDistributions`, problems);
    if (lineNumber !== undefined && lineAmount !== undefined) {
      result.push({
        LineNumber: lineNumber,
        LineType: lineType,
        LineAmount: lineAmount,
        ...(description !== undefined ? { Description: description } : {}),
        ...(quantity !== undefined ? { Quantity: quantity } : {}),
        ...(unitPrice !== undefined ? { UnitPrice: unitPrice } : {}),
        ...(uom !== undefined ? { UOM: uom } : {}),
        ...(tax !== undefined ? { TaxClassification: tax } : {}),
        ...(poNumber !== undefined ? { PurchaseOrderNumber: poNumber } : {}),
        ...(poLine !== undefined ? { PurchaseOrderLineNumber: poLine } : {}),
        ...(poSchedule !== undefined ? { PurchaseOrderScheduleLineNumber: poSchedule } : {}),
        ...(combination !== undefined ? { DistributionCombination: combination } : {}),
        invoiceDistributions: distributions,
      });
    }
  });
  return result;
}

function distributionsOf(value: unknown, path: string, problems: ValidationProblems): InvoiceDistributionRequest[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(path, 'invoiceDistributions must be an array.');
    return [];
  }
  const result: InvoiceDistributionRequest[] = [];
  value.forEach((raw: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isJsonObject(raw)) {
      problems.add(p, 'Each distribution must be an object.');
      return;
    }
    const number = positiveInt(raw['DistributionLineNumber']);
    if (number === undefined) problems.add(`${p}.DistributionLineNumber`, 'DistributionLineNumber is required and must be a positive integer.', 'FND_REST_REQUIRED_ATTR');
    const distributionAmount = amount(raw['DistributionAmount'], `${p}.DistributionAmount`, problems);
    const combination = textOf(raw, 'DistributionCombination', problems, `${p}.DistributionCombination`, true);
    const type = textOf(raw, 'DistributionLineType', problems, `${p}.DistributionLineType`) ?? 'Item';
    if (number !== undefined && distributionAmount !== undefined && combination !== undefined) {
      result.push({ DistributionLineNumber: number, DistributionLineType: type, DistributionAmount: distributionAmount, DistributionCombination: combination });
    }
  });
  return result;
}
