// NHS.UK pagination, previous/next variant (nhsuk-frontend 10 components/pagination/template.njk,
// without numbered items): a link only for a page that exists, rel="prev"/"next", a visible
// title ("Previous" with " page" for screen readers) and an optional label under it ("Page 2 of 5").
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Icon } from "./icons";

export interface PaginationLink {
  href: string;
  /** The line under the title, e.g. "Page 2 of 5" or "Later in the list". */
  label?: ReactNode;
  /** Replaces the standard title ("Previous page" / "Next page"), e.g. "Older". */
  title?: ReactNode;
}

export interface PaginationProps {
  /** null or undefined: there is no such page, so no link is rendered. */
  previous?: PaginationLink | null;
  next?: PaginationLink | null;
  /** The navigation landmark's name; "Pagination" unless a page has two of them. */
  ariaLabel?: string;
}

/** Previous/next links; renders nothing when there is neither. */
export function Pagination({ previous, next, ariaLabel = "Pagination" }: PaginationProps) {
  if (!previous && !next) return null;
  return (
    <nav className="nhsuk-pagination" role="navigation" aria-label={ariaLabel}>
      <ul className="nhsuk-list nhsuk-pagination__list">
        {previous ? <PaginationItem direction="previous" link={previous} /> : null}
        {next ? <PaginationItem direction="next" link={next} /> : null}
      </ul>
    </nav>
  );
}

function PaginationItem({ direction, link }: { direction: "previous" | "next"; link: PaginationLink }) {
  const isPrevious = direction === "previous";
  return (
    <li className={`nhsuk-pagination-item--${direction}`}>
      <Link
        className={`nhsuk-pagination__link nhsuk-pagination__link--${isPrevious ? "prev" : "next"}`}
        to={link.href}
        rel={isPrevious ? "prev" : "next"}
      >
        <span className="nhsuk-pagination__title">
          {link.title ?? (
            <>
              {isPrevious ? "Previous" : "Next"}
              <span className="nhsuk-u-visually-hidden"> page</span>
            </>
          )}
        </span>
        {link.label != null ? (
          <>
            <span className="nhsuk-u-visually-hidden">:</span>
            <span className="nhsuk-pagination__page">{link.label}</span>
          </>
        ) : null}
        <Icon name={isPrevious ? "arrow-left" : "arrow-right"} />
      </Link>
    </li>
  );
}

/**
 * Previous/next for a list paged by number: `pageHref(n)` builds the link for page n. Nothing when
 * everything fits on one page; no "Previous" on page 1 and no "Next" on the last page.
 */
export function NumberedPagination({
  page,
  pageCount,
  pageHref,
  ariaLabel,
}: {
  page: number;
  pageCount: number;
  pageHref: (page: number) => string;
  ariaLabel?: string;
}) {
  if (pageCount <= 1) return null;
  const link = (n: number) => ({ href: pageHref(n), label: `Page ${n} of ${pageCount}` });
  return (
    <Pagination
      ariaLabel={ariaLabel}
      previous={page > 1 ? link(page - 1) : null}
      next={page < pageCount ? link(page + 1) : null}
    />
  );
}
