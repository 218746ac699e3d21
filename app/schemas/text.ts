// Control characters in what people send (docs/decisions/019-hostile-input.md). Shared by the
// browser and the server.
//
// - A single-line field (an <input>) may hold no control character at all: C0 (U+0000–U+001F,
//   tab and line breaks included), DEL and C1 (U+007F–U+009F). A browser never puts one there.
// - A multi-line field (a <textarea>) may hold tab, CR and LF, and no other control character.
//
// parseForm (app/.server/forms.server.ts) checks every field of every form against this before the
// schema runs: the field gets CONTROL_CHARACTER_MESSAGE and the form comes back with what was
// typed. A field is multi-line when its schema is marked with multiline() below.
import { z } from "zod";

export const CONTROL_CHARACTER_MESSAGE =
  "This contains a hidden control character (such as a null byte) that StayWell cannot store. Remove it and try again";

const SINGLE_LINE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MULTI_LINE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Whether `value` holds a control character not allowed in a single-line (or multi-line) field. */
export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).test(value);
}

/**
 * For searches and filters (?q=, ?who=): line breaks and tabs become spaces, every other control
 * character is dropped. A search never fails for them; the database never sees them.
 */
export function stripControlCharacters(value: string): string {
  return value.replace(/[\t\n\r\u000b\u000c]/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

/** The schemas of multi-line (textarea) fields. */
const multilineFields = z.registry<Record<string, never>>();

/** Marks a field's schema as multi-line (a textarea): tab, CR and LF are allowed in it. */
export function multiline<S extends z.ZodType>(schema: S): S {
  multilineFields.add(schema, {});
  return schema;
}

export function isMultilineField(schema: unknown): boolean {
  return !!schema && multilineFields.has(schema as z.ZodType);
}
