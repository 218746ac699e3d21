// Every field of every form schema in app/schemas/*.ts refuses control characters through
// parseForm (docs/decisions/019-hostile-input.md): a NUL anywhere, a line break in a single-line
// field. The schemas are found by enumerating the modules' exports, so a new form is covered (and
// a new textarea must be added to MULTILINE below on purpose).
import { describe, expect, it } from "vitest";
import { objectShape, parseForm } from "~/.server/forms.server";
import { FORM_KINDS } from "~/schemas/admin-offers";
import { requestFormSchemaFor } from "~/schemas/request-forms";
import {
  CONTROL_CHARACTER_MESSAGE,
  hasControlCharacters,
  isMultilineField,
  stripControlCharacters,
} from "~/schemas/text";

const modules = import.meta.glob("../../app/schemas/*.ts", { eager: true }) as Record<string, Record<string, unknown>>;

function isZodSchema(value: unknown): boolean {
  return !!value && typeof value === "object" && "_zod" in value && "safeParseAsync" in value;
}

const schemas: [string, unknown][] = [];
for (const [file, exports] of Object.entries(modules)) {
  for (const [name, value] of Object.entries(exports)) {
    if (isZodSchema(value) && objectShape(value)) schemas.push([`${file.replace(/^.*\//, "")}:${name}`, value]);
    // answerSchemas and the like: records of schemas.
    if (value && typeof value === "object" && !isZodSchema(value)) {
      for (const [inner, schema] of Object.entries(value)) {
        if (isZodSchema(schema) && objectShape(schema))
          schemas.push([`${file.replace(/^.*\//, "")}:${name}.${inner}`, schema]);
      }
    }
  }
}
for (const kind of FORM_KINDS) schemas.push([`requestFormSchemaFor(${kind})`, requestFormSchemaFor(kind)]);

/** The textarea fields, by name (a field is multi-line when its schema is marked multiline()). */
const MULTILINE = new Set([
  "body",
  "comment",
  "comments",
  "currentPattern",
  "details",
  "domains",
  "effectOnTeam",
  "keywords",
  "leavers",
  "managerNote",
  "message",
  "note",
  "reason",
  "requestedPattern",
  "summary",
  "whatHappensNext",
  "whatIsHappening",
  "whoFor",
]);

/** Fields named like a textarea elsewhere that are one line here ("schema.field"): a coded choice. */
const SINGLE_LINE_HERE = new Set(["reservists.ts:reservistNeedSchema.reason"]);

const isTextarea = (name: string, key: string) => MULTILINE.has(key) && !SINGLE_LINE_HERE.has(`${name}.${key}`);

function form(key: string, value: string) {
  const fd = new FormData();
  fd.set(key, value);
  return fd;
}

describe("the control-character rules", () => {
  it("single-line refuses every C0, DEL and C1 character; multi-line allows only tab, CR and LF", () => {
    for (let code = 0; code <= 0x9f; code++) {
      const ch = String.fromCharCode(code);
      const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
      expect(hasControlCharacters(`a${ch}b`)).toBe(control);
      expect(hasControlCharacters(`a${ch}b`, true)).toBe(control && !["\t", "\n", "\r"].includes(ch));
    }
    expect(hasControlCharacters("emoji 😀, Zoë, ’quotes’, \uFFFD")).toBe(false);
  });

  it("searches lose control characters and keep the rest", () => {
    expect(stripControlCharacters("back\u0000 pain\ncare\u009f")).toBe("back pain care");
  });
});

describe("every form schema", () => {
  it("finds the schemas (a sanity check on the enumeration)", () => {
    expect(schemas.length).toBeGreaterThan(25);
    const names = schemas.map(([n]) => n).join(" ");
    for (const expected of [
      "signupSchema",
      "loginSchema",
      "offerCreateSchema",
      "organisationSchema",
      "messageSchema",
      "replySchema",
      "ratingSchema",
    ]) {
      expect(names).toContain(expected);
    }
  });

  for (const [name, schema] of schemas) {
    const shape = objectShape(schema)!;
    it(`${name}: each field refuses a NUL, and line breaks only where it is a textarea`, async () => {
      for (const [key, field] of Object.entries(shape)) {
        expect(isMultilineField(field), `${name}.${key} multi-line?`).toBe(isTextarea(name, key));

        const nul = await parseForm(form(key, "typed\u0000here"), schema as never);
        expect(nul.ok, `${name}.${key} with NUL`).toBe(false);
        if (nul.ok) continue;
        expect(nul.errors[key], `${name}.${key} with NUL`).toBe(CONTROL_CHARACTER_MESSAGE);
        if (!/password/i.test(key) && typeof nul.values[key] === "string")
          expect(nul.values[key]).toBe("typed\u0000here");

        const lines = await parseForm(form(key, "line one\r\nline\ttwo"), schema as never);
        const lineError = lines.ok ? undefined : lines.errors[key];
        if (isTextarea(name, key))
          expect(lineError, `${name}.${key} with a line break`).not.toBe(CONTROL_CHARACTER_MESSAGE);
        else expect(lineError, `${name}.${key} with a line break`).toBe(CONTROL_CHARACTER_MESSAGE);

        const vt = await parseForm(form(key, "a\u000bb"), schema as never);
        expect(vt.ok ? undefined : vt.errors[key], `${name}.${key} with a vertical tab`).toBe(
          CONTROL_CHARACTER_MESSAGE,
        );
      }
    });
  }

  it("date boxes report under the date's name; a field the schema does not declare still refuses the form", async () => {
    const schema = requestFormSchemaFor("flexible_working");
    const fd = new FormData();
    fd.set("requestedStartDate-day", "1\u0000");
    const dated = await parseForm(fd, schema);
    expect(dated.ok ? undefined : dated.errors.requestedStartDate).toBe(CONTROL_CHARACTER_MESSAGE);
    const extra = await parseForm(form("somethingElse", "\u0000"), requestFormSchemaFor("general"));
    expect(extra.ok ? undefined : extra.errors.somethingElse).toBe(CONTROL_CHARACTER_MESSAGE);
  });
});
