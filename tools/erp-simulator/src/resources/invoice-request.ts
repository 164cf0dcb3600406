import { fusionAmountText, readFusionAmount } from './fusion-amounts';
import { ValidationProblems } from './fusion-errors';
import { isJsonObject, type JsonObject } from './http-io';

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
  readonly invoiceLines: readonly InvoiceLineRequest[];
}

export interface InvoiceLineRequest {
  readonly LineNumber: number;
  readonly LineAmount: string;
  readonly Description?: string;
  readonly DistributionCombination?: string;
}

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/**
 * Checks the fields Fusion would refuse an invoice without, reporting every problem at once.
 * Business rules (open period, valid account, active supplier) are not modelled: they are what
 * the `business-rejection` fault is for.
 */
export function validateInvoiceCreate(body: JsonObject): InvoiceCreateRequest {
  const problems = new ValidationProblems();
  const text = (name: string, required: boolean): string | undefined => {
    const value = body[name];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (required) problems.add(name, `The attribute ${name} is required.`, 'FND_REST_REQUIRED_ATTR');
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.add(name, `The attribute ${name} must be a string.`);
      return undefined;
    }
    return value;
  };
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
  const Supplier = text('Supplier', false);
  const SupplierNumber = text('SupplierNumber', false);
  if (Supplier === undefined && SupplierNumber === undefined && body['Supplier'] == null && body['SupplierNumber'] == null) {
    problems.add('Supplier', 'Either Supplier or SupplierNumber is required.', 'FND_REST_REQUIRED_ATTR');
  }
  const SupplierSite = text('SupplierSite', true);
  const Description = text('Description', false);
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
    invoiceLines,
  };
}

function amount(value: unknown, path: string, problems: ValidationProblems): string | undefined {
  if (value === undefined || value === null || value === '') {
    problems.add(path, `The attribute ${path.split('.').pop() ?? path} is required.`, 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  const parsed = readFusionAmount(value);
  if (!parsed) {
    problems.add(path, `The attribute ${path} must be a decimal amount, got ${JSON.stringify(value)}.`);
    return undefined;
  }
  return fusionAmountText(parsed);
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
    const lineNumber = raw['LineNumber'];
    if (typeof lineNumber !== 'number' || !Number.isInteger(lineNumber) || lineNumber < 1) {
      problems.add(`${path}.LineNumber`, 'The attribute LineNumber is required and must be a positive integer.', 'FND_REST_REQUIRED_ATTR');
    }
    const lineAmount = amount(raw['LineAmount'], `${path}.LineAmount`, problems);
    const description = raw['Description'];
    const combination = raw['DistributionCombination'];
    if (description != null && typeof description !== 'string') problems.add(`${path}.Description`, 'Description must be a string.');
    if (combination != null && typeof combination !== 'string') {
      problems.add(`${path}.DistributionCombination`, 'DistributionCombination must be a string such as "01-000-7640-0000-000".');
    }
    if (typeof lineNumber === 'number' && lineAmount !== undefined) {
      result.push({
        LineNumber: lineNumber,
        LineAmount: lineAmount,
        ...(typeof description === 'string' ? { Description: description } : {}),
        ...(typeof combination === 'string' ? { DistributionCombination: combination } : {}),
      });
    }
  });
  return result;
}
