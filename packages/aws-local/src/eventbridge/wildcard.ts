/**
 * The `wildcard` operator of event patterns: `*` stands for any run of characters (also none),
 * `\*` for a literal asterisk and `\\` for a literal backslash. Like EventBridge, two consecutive
 * wildcards and any other escape are malformed.
 */
import { EventPatternError } from "./pattern-error";

/** Compiles a wildcard expression to an anchored RegExp; throws EventPatternError when malformed. */
export function wildcardToRegExp(expression: string, path: string): RegExp {
  let source = "";
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i]!;
    if (char === "*") {
      if (expression[i + 1] === "*") {
        throw new EventPatternError(path, `wildcard "${expression}" has consecutive '*' characters`);
      }
      source += "[\\s\\S]*";
    } else if (char === "\\") {
      const next = expression[i + 1];
      if (next !== "*" && next !== "\\") {
        throw new EventPatternError(
          path,
          `wildcard "${expression}" has an invalid escape; only \\* and \\\\ are allowed`,
        );
      }
      source += escapeRegExp(next);
      i++;
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
