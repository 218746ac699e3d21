// Server side of a form: FormData → plain object → the same zod schema the browser used.
//
//   const parsed = await parseForm(request, requestFormSchemaFor("physiotherapy"));
//   if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
//   parsed.data // typed z.output of the schema
//
// How the FormData becomes an object:
// - a key sent once is a string; a key sent more than once is an array of strings;
// - a field the schema declares as an array (a checkbox group) is always an array ([] when no box
//   was ticked, [v] when one was);
// - a field the schema declares as a boolean (a single checkbox) is true for "on"/"true"/"1"/"yes"
//   and false when absent or anything else;
// - date boxes `<name>-day`, `<name>-month`, `<name>-year` (the DateInput component) are joined
//   into `<name>` as "YYYY-MM-DD" (unvalidated; the schema checks it);
// - File entries are ignored.
// Errors come back as { "field.path": "first message" } (checkbox items fold into their field);
// `values` is what was sent, for re-rendering the form, without any password fields.
//
// Control characters (docs/decisions/019-hostile-input.md): before the schema runs, every entry of
// the form is checked (app/schemas/text.ts): none at all in a single-line field, only tab/CR/LF in
// a field whose schema is marked multiline(). A field that has one gets a clear error and the form
// is refused (400 in the route) with what was typed shown back; nothing with a NUL reaches the
// database, whatever the schema says about that field (or whether it declares it at all).
import type { z } from "zod";
import { fieldPathOf, joinDateParts } from "~/components/form-paths";
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacters, isMultilineField } from "~/schemas/text";

export type ParseFormResult<T> =
  { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, unknown> };

export interface ParseFormOptions {
  /** Keys never echoed back in `values` (anything containing "password" is always left out). */
  omitFromValues?: string[];
}

const TRUE_STRINGS = new Set(["on", "true", "1", "yes"]);

type FieldKind = "array" | "boolean" | "other";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDef = { type: string; [key: string]: any };

function defOf(schema: unknown): AnyDef | undefined {
  return (schema as { _zod?: { def?: AnyDef } } | undefined)?._zod?.def;
}

/** Unwraps optional/default/pipe/… to the object schema's shape, or undefined. */
export function objectShape(schema: unknown): Record<string, unknown> | undefined {
  const def = defOf(schema);
  if (!def) return undefined;
  switch (def.type) {
    case "object":
      return def.shape as Record<string, unknown>;
    case "pipe":
      return objectShape(def.in) ?? objectShape(def.out);
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return objectShape(def.innerType);
    case "intersection":
      return { ...(objectShape(def.left) ?? {}), ...(objectShape(def.right) ?? {}) };
    default:
      return undefined;
  }
}

function kindOf(schema: unknown): FieldKind {
  const def = defOf(schema);
  if (!def) return "other";
  switch (def.type) {
    case "array":
      return "array";
    case "boolean":
      return "boolean";
    case "pipe": {
      // z.preprocess(fn, inner) is a pipe from a transform to inner.
      const first = kindOf(def.in);
      return first !== "other" ? first : kindOf(def.out);
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return kindOf(def.innerType);
    default:
      return "other";
  }
}

/** FormData → object, guided by the schema's shape (see the comment at the top). */
export function formDataToObject(formData: FormData, schema?: z.ZodType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const dateParts: Record<string, { day?: string; month?: string; year?: string }> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    const datePart = /^(.+)-(day|month|year)$/.exec(key);
    if (datePart) {
      const [, base, part] = datePart;
      (dateParts[base] ??= {})[part as "day" | "month" | "year"] = value;
      continue;
    }
    if (key in out) {
      const existing = out[key];
      out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    } else {
      out[key] = value;
    }
  }
  for (const [base, parts] of Object.entries(dateParts)) {
    if (!(base in out)) out[base] = joinDateParts(parts);
  }
  const shape = schema ? objectShape(schema) : undefined;
  if (shape) {
    for (const [key, fieldSchema] of Object.entries(shape)) {
      const kind = kindOf(fieldSchema);
      const value = out[key];
      if (kind === "array") {
        out[key] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      } else if (kind === "boolean") {
        const last = Array.isArray(value) ? value[value.length - 1] : value;
        out[key] = typeof last === "string" && TRUE_STRINGS.has(last.toLowerCase());
      }
    }
  }
  return out;
}

/** zod issues → { field: first message }. */
export function issuesToErrors(issues: ReadonlyArray<z.core.$ZodIssue>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = fieldPathOf(issue.path);
    if (!(key in errors)) errors[key] = issue.message;
  }
  return errors;
}

function valuesForRedisplay(raw: Record<string, unknown>, omit: string[]) {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (/password/i.test(key) || omit.includes(key)) continue;
    values[key] = value;
  }
  return values;
}

/**
 * { field: message } for every entry of the form holding a control character its field does not
 * allow (date boxes `<name>-day` etc. report under `<name>`). Empty when there are none.
 */
export function controlCharacterErrors(formData: FormData, schema?: z.ZodType): Record<string, string> {
  const shape = schema ? objectShape(schema) : undefined;
  const errors: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    const field = /^(.+)-(day|month|year)$/.exec(key)?.[1] ?? key;
    const fieldSchema = shape && Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (hasControlCharacters(key) || hasControlCharacters(value, isMultilineField(fieldSchema))) {
      errors[field] ??= CONTROL_CHARACTER_MESSAGE;
    }
  }
  return errors;
}

export async function parseForm<S extends z.ZodType>(
  input: Request | FormData,
  schema: S,
  options: ParseFormOptions = {},
): Promise<ParseFormResult<z.output<S>>> {
  const formData = input instanceof FormData ? input : await readFormData(input);
  const controlErrors = controlCharacterErrors(formData, schema);
  const raw = formDataToObject(formData, schema);
  const result = await schema.safeParseAsync(raw);
  const hasControlErrors = Object.keys(controlErrors).length > 0;
  if (result.success && !hasControlErrors) return { ok: true, data: result.data };
  return {
    ok: false,
    // The control-character message wins for its field; other fields keep the schema's messages.
    errors: { ...(result.success ? {} : issuesToErrors(result.error.issues)), ...controlErrors },
    values: valuesForRedisplay(raw, options.omitFromValues ?? []),
  };
}

/**
 * The request's form fields. A body that is not a form (JSON, say, or a broken multipart body) is
 * answered 400 with a plain message, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Send this form from its StayWell page.", { status: 400 });
  }
}
