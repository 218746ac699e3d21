// Changing a textarea's text from code as if the person had typed it: through the element's own
// value setter and an "input" event, so React's onChange runs (react-hook-form's value and the
// character count follow). Setting `.value` directly would be invisible to both.

export function setTextareaValue(box: HTMLTextAreaElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")?.set;
  if (setter) setter.call(box, value);
  else box.value = value;
  box.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * `text` put into `current` at the selection [start, end) (replacing only what is selected), or
 * after what is there (on a new paragraph) when `at` is null — never instead of what was typed.
 * Returns the new text and where the caret goes (after the inserted text).
 */
export function insertText(current: string, text: string, at: { start: number; end: number } | null) {
  if (at === null || at.start > current.length) {
    const before = current.replace(/\s+$/, "");
    const joined = before ? `${before}\n\n${text}` : text;
    return { value: joined, caret: joined.length };
  }
  const start = Math.max(0, Math.min(at.start, current.length));
  const end = Math.max(start, Math.min(at.end, current.length));
  const value = current.slice(0, start) + text + current.slice(end);
  return { value, caret: start + text.length };
}
