// The NHS.UK component kit (app/components/nhsuk/) rendered to HTML: the markup essentials that
// pages, browser tests and assistive technology rely on (ARIA, rel, ids, stacked headings).
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { AnswersList } from "~/components/nhsuk/answers-list";
import { NotificationBanner, SuccessBanner } from "~/components/nhsuk/notification-banner";
import { NumberedPagination, Pagination } from "~/components/nhsuk/pagination";
import { Select } from "~/components/nhsuk/select";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { StackedTable } from "~/components/nhsuk/table";

const render = (element: ReactElement) => renderToStaticMarkup(createElement(MemoryRouter, null, element));
const h = createElement;
/** The opening <a> tag that links to href (attribute order is React Router's business). */
const anchorTo = (html: string, href: string) =>
  html.match(new RegExp(`<a [^>]*href="${href.replace(/[?]/g, "\\?")}"[^>]*>`))?.[0] ?? "";

describe("Pagination", () => {
  it("renders nothing when there is neither a previous nor a next page", () => {
    expect(render(h(Pagination, { previous: null, next: null }))).toBe("");
    expect(render(h(NumberedPagination, { page: 1, pageCount: 1, pageHref: (n: number) => `?page=${n}` }))).toBe("");
  });

  it("links both ways with rel, a labelled landmark and the hidden ' page' and ':'", () => {
    const html = render(
      h(Pagination, {
        previous: { href: "/a?page=1", label: "Page 1 of 3" },
        next: { href: "/a?page=3", label: "Page 3 of 3" },
      }),
    );
    expect(html).toMatch(/^<nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">/);
    expect(anchorTo(html, "/a?page=1")).toMatch(
      /class="nhsuk-pagination__link nhsuk-pagination__link--prev".* rel="prev"/,
    );
    expect(anchorTo(html, "/a?page=3")).toMatch(
      /class="nhsuk-pagination__link nhsuk-pagination__link--next".* rel="next"/,
    );
    expect(html).toContain('Previous<span class="nhsuk-u-visually-hidden"> page</span>');
    expect(html).toContain(
      '<span class="nhsuk-u-visually-hidden">:</span><span class="nhsuk-pagination__page">Page 3 of 3</span>',
    );
    expect(html).toContain('class="nhsuk-icon nhsuk-icon--arrow-left"');
    expect(html.match(/aria-hidden="true"/g)).toHaveLength(2); // the two arrows only
  });

  it("has no Previous link on the first page and no Next link on the last", () => {
    const first = render(h(NumberedPagination, { page: 1, pageCount: 4, pageHref: (n: number) => `/x?page=${n}` }));
    expect(first).not.toContain('rel="prev"');
    expect(anchorTo(first, "/x?page=2")).toContain('rel="next"');
    expect(first).toContain("Page 2 of 4");
    const last = render(h(NumberedPagination, { page: 4, pageCount: 4, pageHref: (n: number) => `/x?page=${n}` }));
    expect(anchorTo(last, "/x?page=3")).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
  });

  it("takes its own landmark name and titles, and leaves out the label line when there is none", () => {
    const html = render(h(Pagination, { ariaLabel: "Pages of people", next: { href: "/m?before=5", title: "Older" } }));
    expect(html).toContain('aria-label="Pages of people"');
    expect(html).toContain('<span class="nhsuk-pagination__title">Older</span>');
    expect(html).not.toContain("nhsuk-pagination__page");
    expect(html).not.toContain("nhsuk-pagination-item--previous");
  });
});

describe("Summary list and answers list", () => {
  it("renders key/value rows in a <dl> with the row's data attributes", () => {
    const html = render(
      h(SummaryList, {
        className: "staywell-glance",
        children: h(SummaryListRow, { label: "Name", data: { "data-first-screen": "person-name" }, children: "Ann" }),
      }),
    );
    expect(html).toBe(
      '<dl class="nhsuk-summary-list staywell-glance"><div class="nhsuk-summary-list__row" data-first-screen="person-name">' +
        '<dt class="nhsuk-summary-list__key">Name</dt><dd class="nhsuk-summary-list__value">Ann</dd></div></dl>',
    );
  });

  it("shows one choice as text, several as a bulleted list, free text with its line breaks, and never as HTML", () => {
    const html = render(
      h(AnswersList, {
        answers: [
          { key: "a", question: "Which?", short: "Which", answer: ["Only one"] },
          { key: "b", question: "Which ones?", short: "Ones", answer: ["One", "Two"] },
          { key: "c", question: "Tell us", short: "Tell", answer: "<b>line 1</b>\nline 2" },
        ],
      }),
    );
    expect(html).toContain(
      '<dt class="nhsuk-summary-list__key">Which?</dt><dd class="nhsuk-summary-list__value">Only one</dd>',
    );
    expect(html).toContain('<ul class="nhsuk-list nhsuk-list--bullet"><li>One</li><li>Two</li></ul>');
    expect(html).toContain('<span class="staywell-pre-wrap">&lt;b&gt;line 1&lt;/b&gt;\nline 2</span>');
    expect(html).not.toContain("<b>");
  });
});

describe("Select", () => {
  it("ties the label, hint and error to the select and marks it invalid", () => {
    const html = render(
      h(Select, {
        name: "role",
        id: "role",
        label: "Role",
        hint: "Pick one",
        error: "Select a role",
        defaultValue: "b",
        options: [
          { value: "a", label: "A" },
          { value: "b", label: "B" },
        ],
      }),
    );
    expect(html).toContain('class="nhsuk-form-group nhsuk-form-group--error"');
    expect(html).toContain('<label class="nhsuk-label" for="role">Role</label>');
    expect(html).toContain('id="role-hint"');
    expect(html).toContain('id="role-error"');
    expect(html).toContain(
      'class="nhsuk-select nhsuk-select--error" id="role" name="role" aria-describedby="role-hint role-error" aria-invalid="true"',
    );
    expect(html).toContain('<option value="b" selected="">B</option>');
  });

  it("puts ungrouped options first, then each group as an optgroup, and adds extra classes", () => {
    const html = render(
      h(Select, {
        name: "for",
        id: "for",
        label: "Show figures for",
        className: "staywell-select-fit",
        options: [
          { value: "all", label: "All" },
          { value: "o1", label: "Trust 1", group: "Organisations" },
          { value: "o2", label: "Trust 2", group: "Organisations" },
        ],
      }),
    );
    expect(html).toContain('class="nhsuk-select staywell-select-fit"');
    expect(html).not.toContain("aria-describedby");
    expect(html).toMatch(
      /<option value="all">All<\/option><optgroup label="Organisations"><option value="o1">Trust 1<\/option><option value="o2">Trust 2<\/option><\/optgroup>/,
    );
  });
});

describe("Notification banners", () => {
  it("the success banner is an alert labelled by its 'Success' title", () => {
    const html = render(h(SuccessBanner, null, "Saved."));
    expect(html).toContain('class="nhsuk-notification-banner nhsuk-notification-banner--success"');
    expect(html).toContain('role="alert" aria-labelledby="hub-success-title"');
    expect(html).toContain('<h2 class="nhsuk-notification-banner__title" id="hub-success-title">Success</h2>');
    expect(html).toContain('<p class="nhsuk-notification-banner__heading">Saved.</p>');
    expect(html).not.toContain("nhsuk-body");
  });

  it("the standard banner is a region titled 'Important' unless told otherwise, with an optional body and focus target", () => {
    const html = render(
      h(NotificationBanner, { titleId: "t", id: "b", tabIndex: -1, body: "More.", children: "Heads up" }),
    );
    expect(html).toContain('class="nhsuk-notification-banner" id="b"');
    expect(html).toContain('role="region" aria-labelledby="t" tabindex="-1"');
    expect(html).toContain('id="t">Important</h2>');
    expect(html).toContain('<p class="nhsuk-body">More.</p>');
  });
});

describe("StackedTable", () => {
  const rows = [
    { id: 1, role: "Admin", active: 3 },
    { id: 2, role: "Staff", active: 40 },
  ];
  const html = render(
    h(StackedTable<(typeof rows)[number]>, {
      caption: "Accounts",
      captionId: "accounts-caption",
      rows,
      rowKey: (r) => r.id,
      firstCellIsHeader: true,
      columns: [
        { heading: "Role", cell: (r) => r.role },
        { heading: "Active", numeric: true, cell: (r) => r.active },
        { heading: "Action", headingHidden: true, cell: (r) => `Edit ${r.role}` },
      ],
    }),
  );

  it("is a responsive NHS.UK table with its roles given back", () => {
    expect(html).toMatch(/^<table class="nhsuk-table nhsuk-table--responsive" role="table">/);
    expect(html).toContain(
      '<caption class="nhsuk-table__caption nhsuk-table__caption--s" id="accounts-caption">Accounts</caption>',
    );
    expect(html).toContain('<thead class="nhsuk-table__head" role="rowgroup">');
    expect(html).toContain(
      '<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" role="columnheader">Active</th>',
    );
    expect(html).toContain('<th class="nhsuk-table__header" scope="row" role="rowheader">');
    expect(html.match(/role="cell"/g)).toHaveLength(4);
  });

  it("shows each cell's column heading when stacked, hidden from assistive technology", () => {
    expect(html).toContain(
      '<span class="nhsuk-table__heading" aria-hidden="true">Role </span><span class="staywell-stacked-value">Staff</span>',
    );
    expect(html).toContain(
      '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Active </span>',
    );
    expect(html.match(/class="nhsuk-table__heading"/g)).toHaveLength(4); // not for the hidden "Action" heading
    expect(html).toContain('<span class="nhsuk-u-visually-hidden">Action</span>');
  });
});
