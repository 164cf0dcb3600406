import Big from 'big.js';

/**
 * Private big.js constructors for the money module. `Big()` makes an independent constructor, so
 * the settings here never touch the global `Big` another package may configure, and no caller can
 * change ours. Not exported from the library: callers use Decimal.
 *
 * - strict: a JavaScript number is refused (money is never a float), and valueOf() throws, so a
 *   Decimal's value cannot slip into float arithmetic by coercion.
 * - RM = roundHalfUp, which in big.js rounds half AWAY FROM ZERO (-2.5 -> -3), the commercial
 *   rounding invoices use.
 * - add, subtract and multiply are exact whatever DP says; only division rounds, to DP places.
 */
function configured(decimalPlaces: number): Big.BigConstructor {
  const constructor = Big();
  constructor.DP = decimalPlaces;
  constructor.RM = Big.roundHalfUp;
  constructor.strict = true;
  // Plain notation if toString() is ever called; formatting goes through toFixed anyway.
  constructor.NE = -1_000_000;
  constructor.PE = 1_000_000;
  return constructor;
}

/** For exact arithmetic: it never divides (percentages multiply by 0.01), so DP is irrelevant. */
export const exactBig: Big.BigConstructor = configured(0);

const dividers = new Map<number, Big.BigConstructor>();

/** A constructor whose division rounds to `scale` places, half away from zero; one per scale, configured once. */
export function dividerAt(scale: number): Big.BigConstructor {
  let divider = dividers.get(scale);
  if (divider === undefined) {
    divider = configured(scale);
    dividers.set(scale, divider);
  }
  return divider;
}
