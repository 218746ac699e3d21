// The offer body's Markdown renderer (app/.server/markdown.server.tsx): the HTML string the offer
// page's loader makes and the page inserts as it is. Raw HTML never becomes HTML, links are safe
// and get rel=noopener, and the NHS.UK classes and heading levels are applied.
import { describe, expect, it } from "vitest";
import { renderMarkdown as render, safeUrl } from "~/.server/markdown.server";

/** The href of every <a> in the HTML. */
function hrefs(html: string) {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => m[1]);
}

describe("Markdown: raw HTML is never rendered as HTML", () => {
  it("drops a <script> block and inline HTML tags; the surrounding text stays", () => {
    const html = render(
      [
        "Before the script.",
        "",
        "<script>alert('owned')</script>",
        "",
        'Some <b onclick="steal()">bold</b> and <img src="x" onerror="steal()"> words.',
        "",
        '<iframe src="https://evil.example/"></iframe>',
      ].join("\n"),
    );
    expect(html).toContain("Before the script.");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("alert(");
    expect(html).not.toMatch(/<b[\s>]/i);
    expect(html).not.toMatch(/onclick|onerror/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img/i);
    // The words between the tags are text, not lost.
    expect(html).toContain("bold");
    expect(html).toContain("words.");
  });

  it("text that looks like HTML inside code is escaped text", () => {
    const html = render("Type `<script>` to see it.");
    expect(html).toContain("<code>&lt;script&gt;</code>");
    expect(html).not.toContain("<script>");
  });
});

describe("Markdown: the HTML string is safe to insert as it is", () => {
  it("escapes text: <, > and & in words stay words", () => {
    const html = render("Pay < £500 & keep > half; 5 <b> 6 is not a tag when written as `a<b`.");
    expect(html).toContain("Pay &lt; £500 &amp; keep &gt; half");
    expect(html).not.toMatch(/<b[\s>]/);
  });

  it("escapes attribute values: a quote in a link target cannot open a new attribute", () => {
    const html = render('[x](<https://a.example/"onmouseover="alert(1)>)');
    expect(html).not.toMatch(/"\s*onmouseover=/i);
    for (const href of hrefs(html)) expect(href).not.toContain('"');
  });

  it("a link's title is escaped too: the quote stays inside the title", () => {
    const html = render('[x](https://a.example/ "a\\" onclick=\\"steal()")');
    expect(html).toContain('title="a&quot; onclick=&quot;steal()"');
    // The <a> has exactly these attributes (a value holds no raw quote, so this split is exact).
    const tag = /<a\b([^>]*)>/.exec(html)?.[1] ?? "";
    expect([...tag.matchAll(/([\w-]+)="[^"]*"/g)].map((m) => m[1]).sort()).toEqual(["href", "rel", "title"]);
  });
});

describe("Markdown: links", () => {
  it("gets rel=noopener noreferrer and no target (same tab)", () => {
    const html = render("Read [the NHS pensions guide](https://www.nhsbsa.nhs.uk/member-hub) first.");
    expect(html).toContain(
      '<a href="https://www.nhsbsa.nhs.uk/member-hub" rel="noopener noreferrer">the NHS pensions guide</a>',
    );
    expect(html).not.toContain("target=");
  });

  it("keeps mailto:, tel: and same-site links", () => {
    const html = render(
      "[Email us](mailto:hub@icb.staywell.test), [call](tel:01782000000), [support](/support#money).",
    );
    expect(hrefs(html)).toEqual(["mailto:hub@icb.staywell.test", "tel:01782000000", "/support#money"]);
  });

  it.each([
    ["a javascript: link", "[click me](javascript:alert(1))"],
    ["upper case", "[click me](JAVASCRIPT:alert(1))"],
    ["an entity-encoded colon", "[click me](javascript&#58;alert(1))"],
    ["a tab inside the scheme", "[click me](<java\tscript:alert(1)>)"],
    ["a data: URL", "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["vbscript:", "[click me](vbscript:msgbox(1))"],
    ["a reference link", "[click me][x]\n\n[x]: javascript:alert(1)"],
  ])("drops %s and keeps the words", (_label, markdown) => {
    const html = render(markdown);
    expect(hrefs(html)).toEqual([]);
    expect(html).not.toMatch(/<a\b/);
    expect(html.toLowerCase()).not.toContain("script:");
    expect(html).toContain("click me");
  });

  it("drops a javascript: autolink (it stays as words only)", () => {
    const html = render("Go to <javascript:alert(1)> now.");
    expect(html).not.toMatch(/<a\b/);
    expect(html).toContain("now.");
  });

  it("safeUrl allows only http(s), mailto, tel and scheme-less URLs", () => {
    expect(safeUrl("https://example.org/a:b")).toBe("https://example.org/a:b");
    expect(safeUrl("/support/physiotherapy")).toBe("/support/physiotherapy");
    expect(safeUrl("#who-it-is-for")).toBe("#who-it-is-for");
    expect(safeUrl("page?x=a:b")).toBe("page?x=a:b");
    expect(safeUrl(" javascript:alert(1)")).toBe("");
    expect(safeUrl("\u0001javascript:alert(1)")).toBe("");
    expect(safeUrl("file:///etc/passwd")).toBe("");
  });
});

describe("Markdown: NHS.UK styles", () => {
  it("starts headings at h2 (the page has its h1) with NHS.UK heading classes", () => {
    const html = render("# Who can use it\n\n## How it works\n\n### Small print\n\n#### Smaller");
    expect(html).toContain('<h2 class="nhsuk-heading-m">Who can use it</h2>');
    expect(html).toContain('<h2 class="nhsuk-heading-m">How it works</h2>');
    expect(html).toContain('<h3 class="nhsuk-heading-s">Small print</h3>');
    expect(html).toContain('<h4 class="nhsuk-heading-xs">Smaller</h4>');
    expect(html).not.toMatch(/<h1/);
  });

  it("paragraphs, bullet and numbered lists, quotes", () => {
    const html = render("First paragraph.\n\n- one\n- two\n\n3. three\n4. four\n\n> Call 999 in an emergency.");
    expect(html).toContain('<p class="nhsuk-body-m">First paragraph.</p>');
    expect(html).toMatch(/<ul class="nhsuk-list nhsuk-list--bullet">\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol class="nhsuk-list nhsuk-list--number" start="3">/);
    expect(html).toContain('<div class="nhsuk-inset-text">');
    expect(html).toContain("Call 999 in an emergency.");
  });

  it("shows an image's alternative text, never the image", () => {
    const html = render("![A physiotherapist at work](https://example.org/photo.jpg)");
    expect(html).toContain("A physiotherapist at work");
    expect(html).not.toMatch(/<img/);
    expect(html).not.toContain("photo.jpg");
  });
});
