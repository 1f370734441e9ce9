/** Reading request members with the errors Step Functions answers for missing or mistyped ones. */
import { StepFunctionsError } from "./aws-json";

export type RequestBody = Record<string, unknown>;

export function requestBody(parsed: unknown): RequestBody {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new StepFunctionsError("SerializationException", "The request body must be a JSON object");
  return parsed as RequestBody;
}

export function requiredString(body: RequestBody, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined)
    throw new StepFunctionsError(
      "ValidationException",
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new StepFunctionsError("SerializationException", `${field} must be a string`);
  return value;
}

export function optionalInteger(body: RequestBody, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new StepFunctionsError("SerializationException", `${field} must be an integer`);
  if (value < min || value > max) {
    throw new StepFunctionsError(
      "ValidationException",
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return value;
}

export function optionalBoolean(body: RequestBody, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new StepFunctionsError("SerializationException", `${field} must be a boolean`);
  return value;
}
