/**
 * How deep a JSON request body may nest. The API's own bodies need 3 levels
 * (a batch: envelope, rows, row) and a wrong-typed value a few more; the
 * libraries that copy and validate a body (class-transformer,
 * class-validator) and JSON.stringify recurse once per level, so a body
 * nested thousands deep would exhaust the stack and answer 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests deeper than `max` arrays and objects; walked with a queue, so any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (node === null || typeof node !== 'object') continue;
      if (depth >= max) return true;
      for (const child of Object.values(node)) if (child !== null && typeof child === 'object') next.push(child);
    }
    level = next;
  }
  return false;
}
