// The menu of an area with several pages (/admin, /account). On a wide screen it is the NHS.UK
// contents list beside the page. On a phone (below 641 px) a long list before the page pushed the
// heading off the first screen (review of issue 12, finding 16): there it is a collapsed "Menu"
// (an NHS.UK details element: works without JavaScript, by keyboard) and the page comes straight
// after. Only one of the two is displayed at a time, so only one is in the accessibility tree.
import { NavLink, useLocation } from "@remix-run/react";

export interface SectionNavItem {
  to: string;
  label: string;
  /** Only this exact path marks the item current (NavLink's `end`). */
  end?: boolean;
}

function Links({ items }: { items: readonly SectionNavItem[] }) {
  return (
    <ol className="nhsuk-contents-list__list">
      {items.map((s) => (
        <li key={s.to} className="nhsuk-contents-list__item">
          <NavLink className="nhsuk-contents-list__link" to={s.to} end={s.end}>
            {s.label}
          </NavLink>
        </li>
      ))}
    </ol>
  );
}

export function SectionNav({ label, items }: { label: string; items: readonly SectionNavItem[] }) {
  const { pathname } = useLocation();
  const current = items.find((s) => (s.end ? pathname === s.to : pathname === s.to || pathname.startsWith(`${s.to}/`)));
  return (
    <>
      <nav className="nhsuk-contents-list staywell-section-nav--wide" aria-label={label}>
        <h2 className="nhsuk-u-visually-hidden">{label}</h2>
        <Links items={items} />
      </nav>
      <nav className="staywell-section-nav--narrow" aria-label={label}>
        {/* A new key per page: the menu is closed again after following one of its links. */}
        <details className="nhsuk-details" key={pathname}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {label} menu{current ? <span className="nhsuk-u-visually-hidden">, now on {current.label}</span> : null}
            </span>
          </summary>
          <div className="nhsuk-details__text nhsuk-contents-list">
            <Links items={items} />
          </div>
        </details>
      </nav>
    </>
  );
}
