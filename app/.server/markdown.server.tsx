// Markdown that an administrator wrote (a support offer's description) as an HTML string, safely,
// on the server only: the offer page's loader renders it and the page inserts the HTML, so the
// Markdown parser (react-markdown, micromark: ~39 KB gzipped) never ships to the browser
// (issue 11, goal 4; docs/performance/page-weight.md).
//
//   const bodyHtml = renderMarkdown(offer.body);   // in a loader
//   <div dangerouslySetInnerHTML={{ __html: bodyHtml }} />
//
// Only this admin-edited catalogue text goes through here; what people type (requests, messages,
// notes) is never rendered as HTML. The rules that make the output safe to insert:
// - Parsed by react-markdown to React elements and serialised by react-dom/server, which escapes
//   every text and attribute value: the string holds only the elements listed below.
// - Raw HTML in the text (<script>, <iframe>, <b onclick=…>) is skipped, never rendered as HTML.
// - Link targets pass safeUrl(): http(s), mailto, tel and same-site paths only; anything else
//   (javascript:, data:, vbscript:, …) loses its link and stays as plain text.
// - Every link gets rel="noopener noreferrer" and opens in the same tab (the NHS.UK advice).
// - Images are not shown (their alternative text is): no content is loaded from other sites.
// - Headings start at h2 (the page has its own h1) and take NHS.UK classes, as do paragraphs
//   (nhsuk-body-m), lists (nhsuk-list--bullet / --number) and quotes (inset text).
import { createElement, type ComponentPropsWithoutRef, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ReactMarkdown, { type Components, type ExtraProps } from "react-markdown";

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);

/**
 * The URL as written when it is safe to link to, or "" (no link). A URL with no scheme (a path,
 * "#anchor", "?query") is same-site and safe. Control characters and whitespace that browsers
 * strip before reading the scheme ("java\tscript:") are stripped here too before it is checked.
 */
export function safeUrl(url: string): string {
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const colon = cleaned.indexOf(":");
  const firstDelimiter = cleaned.search(/[/?#]/);
  const hasScheme = colon !== -1 && (firstDelimiter === -1 || colon < firstDelimiter);
  if (!hasScheme) return url.trim();
  const scheme = cleaned.slice(0, colon + 1).toLowerCase();
  return SAFE_PROTOCOLS.has(scheme) ? url.trim() : "";
}

type Props<T extends keyof JSX.IntrinsicElements> = ComponentPropsWithoutRef<T> & ExtraProps;

function Link({ node: _node, href, children, ...rest }: Props<"a">) {
  // urlTransform turned an unsafe target into "": the words stay, the link goes.
  if (!href) return <>{children}</>;
  return (
    <a {...rest} href={href} rel="noopener noreferrer">
      {children}
    </a>
  );
}

function heading(Tag: "h2" | "h3" | "h4", className: string) {
  return function Heading({ node: _node, children, id: _id, ...rest }: Props<"h2">) {
    return (
      <Tag {...rest} className={className}>
        {children}
      </Tag>
    );
  };
}

const components: Components = {
  // The page's h1 is the offer's title: Markdown's "#" becomes a section heading.
  h1: heading("h2", "nhsuk-heading-m"),
  h2: heading("h2", "nhsuk-heading-m"),
  h3: heading("h3", "nhsuk-heading-s"),
  h4: heading("h4", "nhsuk-heading-xs"),
  h5: heading("h4", "nhsuk-heading-xs"),
  h6: heading("h4", "nhsuk-heading-xs"),
  p: ({ node: _node, children }) => <p className="nhsuk-body-m">{children}</p>,
  ul: ({ node: _node, children }) => <ul className="nhsuk-list nhsuk-list--bullet">{children}</ul>,
  ol: ({ node: _node, children, start }) => (
    <ol className="nhsuk-list nhsuk-list--number" start={start}>
      {children}
    </ol>
  ),
  blockquote: ({ node: _node, children }) => <div className="nhsuk-inset-text">{children}</div>,
  a: Link,
  img: ({ alt }) => (alt ? <>{alt}</> : null),
};

interface MarkdownProps {
  /** The Markdown text. */
  children: string;
}

function Markdown({ children }: MarkdownProps): ReactNode {
  return (
    <ReactMarkdown skipHtml components={components} urlTransform={safeUrl}>
      {children}
    </ReactMarkdown>
  );
}

/** The Markdown as safe HTML (see the rules above), for a page to insert as it is. */
export function renderMarkdown(markdown: string): string {
  return renderToStaticMarkup(createElement(Markdown, null, markdown));
}
