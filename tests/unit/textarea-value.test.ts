// A saved response goes in at the cursor, or after what was typed: never instead of it.
import { describe, expect, it } from "vitest";
import { appendSavedText, insertText } from "~/components/textarea-value";

describe("insertText", () => {
  it("appends on a new paragraph when there is no cursor the person chose", () => {
    expect(insertText("Hello Sam,  \n", "Saved text.", null)).toEqual({
      value: "Hello Sam,\n\nSaved text.",
      caret: 23,
    });
    expect(insertText("", "Saved text.", null)).toEqual({ value: "Saved text.", caret: 11 });
  });

  it("inserts at the caret, keeping the text either side, with a blank line before and after", () => {
    expect(insertText("Hello Sam, thanks.", "Saved.", { start: 11, end: 11 })).toEqual({
      value: "Hello Sam,\n\nSaved.\n\nthanks.",
      caret: 18,
    });
    // At the very start: a blank line after only.
    expect(insertText("Kind regards", "Saved.", { start: 0, end: 0 })).toEqual({
      value: "Saved.\n\nKind regards",
      caret: 6,
    });
    // Line breaks already at the join are not doubled.
    expect(insertText("Hi\n\n\nBye", "Saved.", { start: 3, end: 3 })).toEqual({
      value: "Hi\n\nSaved.\n\nBye",
      caret: 10,
    });
  });

  it("takes linear time on a box with a million spaces inside it, with the same answer", () => {
    // The old .replace(/\s+$/, "") retried the run of spaces from every position: 100 KB took
    // 20.7 s on this machine, so this input would run far past the timeout; trimEnd takes ms.
    const spaces = " \n\t\u00a0".repeat(250_000);
    const typed = `Hello${spaces}Sam`;
    const result = insertText(typed, "Saved.", null);
    expect(result.value).toBe(`${typed}\n\nSaved.`);
    expect(result.caret).toBe(typed.length + 8);
    expect(insertText(`A${spaces}`, "Saved.", { start: 1, end: 1 })).toEqual({ value: "A\n\nSaved.", caret: 9 });
  }, 10_000);

  it("replaces only a selection the person made", () => {
    expect(insertText("Hello XXX thanks", "Sam,", { start: 6, end: 9 })).toEqual({
      value: "Hello\n\nSam,\n\nthanks",
      caret: 11,
    });
  });

  it("appends when the remembered cursor is past the end of the text", () => {
    expect(insertText("Hi", "Saved.", { start: 10, end: 10 })).toEqual({ value: "Hi\n\nSaved.", caret: 10 });
  });

  it("without JavaScript: typed text, a blank line, then the saved text", () => {
    expect(appendSavedText("Dear Sam,\n", "Saved text.")).toBe("Dear Sam,\n\nSaved text.");
    expect(appendSavedText("   ", "Saved text.")).toBe("Saved text.");
  });
});
