/**
 * An EventBridge event-pattern matcher for tests: does an event match a rule's pattern? It implements the parts of
 * the pattern language the blueprint's rules use (exact values, `anything-but`, `prefix`, `exists`, `numeric`
 * comparisons and `$or`) and throws on anything else, so that a rule cannot pass its test through an operator this
 * matcher ignores.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether one value of the event matches one entry of a pattern's list. */
function matchesEntry(entry: Json, value: Json | undefined): boolean {
  if (!isObject(entry)) return value !== undefined && entry === value;
  const [operator, argument] = Object.entries(entry)[0] ?? [];
  if (Object.keys(entry).length !== 1) throw new Error(`unsupported pattern entry ${JSON.stringify(entry)}`);
  switch (operator) {
    case "exists":
      return argument === (value !== undefined);
    case "prefix":
      return typeof value === "string" && typeof argument === "string" && value.startsWith(argument);
    case "anything-but": {
      if (value === undefined) return false;
      const excluded = Array.isArray(argument) ? argument : [argument];
      if (excluded.some(isObject)) throw new Error(`unsupported anything-but ${JSON.stringify(argument)}`);
      return !excluded.includes(value);
    }
    case "numeric": {
      if (typeof value !== "number" || !Array.isArray(argument)) return false;
      for (let i = 0; i < argument.length; i += 2) {
        const bound = argument[i + 1] as number;
        const ok = {
          "<": value < bound,
          "<=": value <= bound,
          ">": value > bound,
          ">=": value >= bound,
          "=": value === bound,
        }[argument[i] as string];
        if (ok === undefined) throw new Error(`unsupported numeric operator ${String(argument[i])}`);
        if (!ok) return false;
      }
      return true;
    }
    default:
      throw new Error(`unsupported pattern operator ${String(operator)}`);
  }
}

/** Whether an event matches an event pattern (both as parsed JSON). */
export function matchesPattern(pattern: object, event: unknown): boolean {
  return matchesAt(pattern as Record<string, Json>, event as Json | undefined);
}

/** Whether the event (or the part of it at this level) matches the pattern (or the part at this level). */
function matchesAt(pattern: Record<string, Json>, event: Json | undefined): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === "$or") {
      if (!Array.isArray(expected)) throw new Error("$or takes a list of patterns");
      return expected.some((alternative) => isObject(alternative) && matchesAt(alternative, event));
    }
    const value = isObject(event) ? event[key] : undefined;
    if (isObject(expected)) return (value === undefined || isObject(value)) && matchesAt(expected, value);
    if (!Array.isArray(expected)) throw new Error(`pattern field ${key} must be a list or an object`);
    const values: (Json | undefined)[] = Array.isArray(value) ? value : [value];
    return expected.some((entry) => values.some((v) => matchesEntry(entry, v)));
  });
}
