import { ConfigError } from '@finmesh/service-kit';
import { loadMatchToleranceRules, type MatchToleranceRules } from '../matching/match-tolerance-rules';
import { RulesFileError } from '../matching/rules-file';
import { loadTaxCodeRules, type TaxCodeRules } from '../validation/tax-code-rules';
import type { InvoiceSyncSettings } from './invoice-sync-settings';

/** The business rules files, read and validated once at start. */
export interface InvoiceRules {
  readonly tolerances: MatchToleranceRules;
  readonly taxCodes: TaxCodeRules;
}

/**
 * Loads both rules files. A bad file stops the service like a bad setting (exit code 2), with one
 * line per problem naming the file and the setting's path, and both files are checked before
 * giving up so an operator fixes them in one go.
 */
export function loadInvoiceRules(settings: Pick<InvoiceSyncSettings, 'matchTolerancesFile' | 'taxCodesFile'>): InvoiceRules {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (err instanceof RulesFileError) problems.push(...err.problems.map((p) => `${err.source}: ${p}`));
      else problems.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };
  const tolerances = attempt(() => loadMatchToleranceRules(settings.matchTolerancesFile));
  const taxCodes = attempt(() => loadTaxCodeRules(settings.taxCodesFile));
  if (tolerances === undefined || taxCodes === undefined) throw new ConfigError(problems);
  return { tolerances, taxCodes };
}
