// A saved response goes in at the cursor, or after what was typed: never instead of it.
import { describe, expect, it } from "vitest";
import { insertText } from "~/components/textarea-value";

describe("insertText", () => {
  it("appends on a new paragraph when there is no cursor the person chose", () => {
    expect(insertText("Hello Sam,  \n", "Saved text.", null)).toEqual({ value: "Hello Sam,\n\nSaved text.", caret: 23 });
    expect(insertText("", "Saved text.", null)).toEqual({ value: "Saved text.", caret: 11 });
  });

  it("inserts at the caret, keeping the text either side", () => {
    expect(insertText("Hello Sam, thanks.", "Saved. ", { start: 11, end: 11 })).toEqual({ value: "Hello Sam, Saved. thanks.", caret: 18 });
  });

  it("replaces only a selection the person made", () => {
    expect(insertText("Hello XXX thanks", "Sam,", { start: 6, end: 9 })).toEqual({ value: "Hello Sam, thanks", caret: 10 });
  });

  it("appends when the remembered cursor is past the end of the text", () => {
    expect(insertText("Hi", "Saved.", { start: 10, end: 10 })).toEqual({ value: "Hi\n\nSaved.", caret: 10 });
  });
});
