/**
 * Names of executions and state machines, per the StartExecution reference: 1–80 characters, without
 * whitespace, brackets `< > { } [ ]`, wildcards `? *`, the specials `" # % \ ^ | ~ \` $ & , ; : /`
 * or control characters (U+0000–001F, U+007F–009F).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what AWS refuses in a name.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export const MAX_NAME_LENGTH = 80;

/** Why the name is invalid, or undefined when it is valid. */
export function nameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) return `must be 1 to ${MAX_NAME_LENGTH} characters long`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `must not contain ${JSON.stringify(bad[0])}`;
  return undefined;
}
