import { Form, Link, NavLink } from "@remix-run/react";
import { WaitingCount } from "./waiting-for-reply";

const NHS_LOGO_PATH =
  "M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z";

interface HeaderUser {
  name: string;
  canUseHub: boolean;
  /** Managers see aggregate insights (never individuals). */
  canSeeInsights: boolean;
  /** Administrators keep the catalogue, organisations, teams and people. */
  canAdminister: boolean;
  /** How many of their own requests the people hub is waiting on them to answer. */
  waitingForReply?: number;
}

export function SiteHeader({ user }: { user: HeaderUser | null }) {
  return (
    <header className="nhsuk-header" role="banner">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <Link className="nhsuk-header__service-logo" to="/" aria-label="StayWell homepage">
            <svg
              className="nhsuk-header__logo"
              xmlns="http://www.w3.org/2000/svg"
              viewBox="0 0 200 80"
              height="40"
              width="100"
              focusable="false"
              role="img"
              aria-label="NHS"
            >
              <title>NHS</title>
              <path fill="currentcolor" d={NHS_LOGO_PATH} />
            </svg>
            <span className="nhsuk-header__service-name">StayWell</span>
          </Link>
        </div>
        <nav className="nhsuk-header__account" aria-label="Account">
          <ul className="nhsuk-header__account-list">
            {user ? (
              <>
                <li className="nhsuk-header__account-item">{user.name}</li>
                <li className="nhsuk-header__account-item">
                  <Form className="nhsuk-header__account-form" action="/logout" method="post">
                    <button className="nhsuk-header__account-button" type="submit">
                      Sign out
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/login">
                    Sign in
                  </Link>
                </li>
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/signup">
                    Create an account
                  </Link>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
      <nav className="nhsuk-header__navigation" aria-label="Menu">
        <div className="nhsuk-header__navigation-container nhsuk-width-container">
          <ul className="nhsuk-header__navigation-list">
            <li className="nhsuk-header__navigation-item">
              <NavLink className="nhsuk-header__navigation-link" to="/support">
                Find support
              </NavLink>
            </li>
            {user ? (
              <li className="nhsuk-header__navigation-item">
                <NavLink className="nhsuk-header__navigation-link" to="/my/requests">
                  My requests
                  <WaitingCount count={user.waitingForReply ?? 0} />
                </NavLink>
              </li>
            ) : null}
            {user?.canUseHub ? (
              <li className="nhsuk-header__navigation-item">
                <NavLink className="nhsuk-header__navigation-link" to="/hub">
                  People hub
                </NavLink>
              </li>
            ) : null}
            {user?.canSeeInsights ? (
              <li className="nhsuk-header__navigation-item">
                <NavLink className="nhsuk-header__navigation-link" to="/insights">
                  Insights
                </NavLink>
              </li>
            ) : null}
            {user ? (
              <li className="nhsuk-header__navigation-item">
                <NavLink className="nhsuk-header__navigation-link" to="/account">
                  Your account
                </NavLink>
              </li>
            ) : null}
            {user?.canAdminister ? (
              <li className="nhsuk-header__navigation-item">
                <NavLink className="nhsuk-header__navigation-link" to="/admin">
                  Administration
                </NavLink>
              </li>
            ) : null}
          </ul>
        </div>
      </nav>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="nhsuk-footer" role="contentinfo">
      <div className="nhsuk-width-container">
        <div className="nhsuk-footer__meta">
          <h2 className="nhsuk-u-visually-hidden">Support links</h2>
          <ul className="nhsuk-footer__list">
            <li className="nhsuk-footer__list-item">
              <Link className="nhsuk-footer__list-item-link" to="/privacy">
                Privacy: who sees your request
              </Link>
            </li>
            <li className="nhsuk-footer__list-item">
              <Link className="nhsuk-footer__list-item-link" to="/accessibility">
                Accessibility statement
              </Link>
            </li>
          </ul>
          <p className="nhsuk-body-s">StayWell – Staffordshire and Stoke-on-Trent Integrated Care System</p>
        </div>
      </div>
    </footer>
  );
}
