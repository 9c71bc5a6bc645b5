/**
 * The slice of Laravel's validator that Payment Book's answers show: rules run in order per attribute,
 * `*` expands over list items, a failed implicit rule (required) stops the attribute, empty strings count
 * as null (Laravel's ConvertEmptyStringsToNull middleware), and messages use Laravel 9's English texts
 * with the attribute's underscores turned into spaces ("The meta.reference id field is required.").
 */

export interface Rule {
  /** Runs even when the value is missing (required, required_with). */
  implicit?: boolean;
  /** Lets null through the rules after it. */
  nullable?: boolean;
  check(value: unknown, attribute: string, data: unknown): string | undefined;
}

export type Rules = readonly (readonly [path: string, rules: readonly Rule[]])[];
export type ValidationErrors = Record<string, string[]>;

export function isArrayLike(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function count(value: Record<string, unknown> | unknown[]): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

function child(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(key) ? value[Number(key)] : undefined;
  if (isArrayLike(value) && Object.hasOwn(value, key)) return (value as Record<string, unknown>)[key];
  return undefined;
}

export function valueAt(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => child(value, key), data);
}

/** Laravel treats "" (and "  ") as null, and an empty array as missing for `required`. */
function blank(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

function missing(value: unknown): boolean {
  return value === undefined || blank(value) || (isArrayLike(value) && count(value) === 0);
}

function expand(data: unknown, path: string): string[] {
  const star = path.indexOf('*');
  if (star === -1) return [path];
  const parent = path.slice(0, Math.max(0, star - 1));
  const container = parent ? valueAt(data, parent) : data;
  if (!isArrayLike(container)) return [];
  const keys = Array.isArray(container) ? container.map((_, index) => String(index)) : Object.keys(container);
  return keys.flatMap((key) => expand(data, `${parent ? `${parent}.` : ''}${key}${path.slice(star + 1)}`));
}

export function validate(data: unknown, rules: Rules): ValidationErrors {
  const errors: ValidationErrors = {};
  for (const [pattern, attributeRules] of rules) {
    for (const path of expand(data, pattern)) {
      const value = valueAt(data, path);
      const attribute = path.replaceAll('_', ' ');
      const nullable = attributeRules.some((rule) => rule.nullable);
      for (const rule of attributeRules) {
        if (!rule.implicit && (value === undefined || (blank(value) && nullable))) continue;
        const message = rule.check(value, attribute, data);
        if (message === undefined) continue;
        (errors[path] ??= []).push(message);
        if (rule.implicit) break;
      }
    }
  }
  return errors;
}

export function hasErrors(errors: ValidationErrors): boolean {
  return Object.keys(errors).length > 0;
}

const isNumericString = (value: string) =>
  /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(value);

export function isNumeric(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && isNumericString(value))
  );
}

export function isInteger(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isInteger(value)) ||
    (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value))
  );
}

export function rule(
  passes: (value: unknown, data: unknown) => boolean,
  message: (attribute: string) => string,
): Rule {
  return { check: (value, attribute, data) => (passes(value, data) ? undefined : message(attribute)) };
}

export const required: Rule = {
  implicit: true,
  check: (value, attribute) => (missing(value) ? `The ${attribute} field is required.` : undefined),
};

export function requiredWith(otherPath: string): Rule {
  return {
    implicit: true,
    check: (value, attribute, data) =>
      !missing(valueAt(data, otherPath)) && missing(value)
        ? `The ${attribute} field is required when ${otherPath.replaceAll('_', ' ')} is present.`
        : undefined,
  };
}

export const nullable: Rule = { nullable: true, check: () => undefined };

export const array = rule(isArrayLike, (a) => `The ${a} must be an array.`);
export const string = rule(
  (value) => typeof value === 'string',
  (a) => `The ${a} must be a string.`,
);
export const integer = rule(isInteger, (a) => `The ${a} must be an integer.`);
export const numeric = rule(isNumeric, (a) => `The ${a} must be a number.`);
export const boolean = rule(
  (value) => [true, false, 0, 1, '0', '1'].includes(value as never),
  (a) => `The ${a} field must be true or false.`,
);
export const email = rule(
  (value) => typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
  (a) => `The ${a} must be a valid email address.`,
);
export const url = rule(
  (value) => {
    if (typeof value !== 'string') return false;
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  (a) => `The ${a} must be a valid URL.`,
);
export const date = rule(
  (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
  (a) => `The ${a} is not a valid date.`,
);
export const dateYmd = rule(
  (value) =>
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
  (a) => `The ${a} does not match the format Y-m-d.`,
);

export const sizeItems = (size: number) =>
  rule(
    (value) => isArrayLike(value) && count(value) === size,
    (a) => `The ${a} must contain ${size} items.`,
  );
export const sizeChars = (size: number) =>
  rule(
    (value) => typeof value === 'string' && [...value].length === size,
    (a) => `The ${a} must be ${size} characters.`,
  );
export const maxChars = (max: number) =>
  rule(
    (value) => typeof value !== 'string' || [...value].length <= max,
    (a) => `The ${a} must not be greater than ${max} characters.`,
  );
export const minNumber = (min: number) =>
  rule(
    (value) => isNumeric(value) && Number(value) >= min,
    (a) => `The ${a} must be at least ${min}.`,
  );
export const gtNumber = (limit: number) =>
  rule(
    (value) => isNumeric(value) && Number(value) > limit,
    (a) => `The ${a} must be greater than ${limit}.`,
  );
export const oneOf = (allowed: readonly unknown[]) =>
  rule(
    (value) => allowed.includes(value),
    (a) => `The selected ${a} is invalid.`,
  );
export const exists = (found: (value: unknown) => boolean) =>
  rule(found, (a) => `The selected ${a} is invalid.`);
export const unique = (free: (value: unknown) => boolean) =>
  rule(free, (a) => `The ${a} has already been taken.`);
