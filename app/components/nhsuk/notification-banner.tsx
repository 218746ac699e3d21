// NHS.UK notification banner (nhsuk-frontend 10 components/notification-banner/template.njk).
// The success variant has role="alert" (announced at once, e.g. after a redirect); the standard
// one is a labelled region unless told otherwise. The children are the banner's heading line;
// `body` adds a paragraph under it.
import { forwardRef, type ReactNode } from "react";

export interface NotificationBannerProps {
  /** The heading line (p.nhsuk-notification-banner__heading). */
  children: ReactNode;
  /** A paragraph under the heading line. */
  body?: ReactNode;
  success?: boolean;
  /** "Success" for the success variant, "Important" otherwise. */
  title?: string;
  /** The title's id, which names the banner (aria-labelledby). Unique on the page. */
  titleId?: string;
  id?: string;
  role?: "alert" | "region";
  /** -1 when the page moves focus to the banner. */
  tabIndex?: number;
}

export const NotificationBanner = forwardRef<HTMLDivElement, NotificationBannerProps>(function NotificationBanner(
  { children, body, success = false, title, titleId = "nhsuk-notification-banner-title", id, role, tabIndex },
  ref,
) {
  return (
    <div
      ref={ref}
      className={success ? "nhsuk-notification-banner nhsuk-notification-banner--success" : "nhsuk-notification-banner"}
      id={id}
      data-module="nhsuk-notification-banner"
      role={role ?? (success ? "alert" : "region")}
      aria-labelledby={titleId}
      tabIndex={tabIndex}
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id={titleId}>
          {title ?? (success ? "Success" : "Important")}
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{children}</p>
        {body != null ? <p className="nhsuk-body">{body}</p> : null}
      </div>
    </div>
  );
});

/** The success banner shown after an action (role="alert"). */
export function SuccessBanner({ children, body }: { children: ReactNode; body?: ReactNode }) {
  return (
    <NotificationBanner success titleId="hub-success-title" body={body}>
      {children}
    </NotificationBanner>
  );
}
