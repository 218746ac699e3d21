import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import appCss from "~/styles/app.css?url";
import { getOptionalUser } from "~/.server/auth/session.server";
import { canAdminister, canSeeInsights, canUseHub } from "~/.server/permissions.server";
import { myRequestsWaitingOnMe } from "~/.server/models/requests.server";
import { SiteFooter, SiteHeader } from "~/components/layout";
import { useNonce } from "~/lib/nonce";
import { errorPageTitle } from "~/lib/page-title";
import { isTwoStepSetupPath } from "~/lib/two-step-paths";

export const links: LinksFunction = () => [
  // Served by server.ts from nhsuk-frontend (already minified; its icons live under /assets).
  { rel: "stylesheet", href: "/nhsuk/nhsuk-frontend.min.css?v=10.6.1" },
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.ico", sizes: "any" },
];

export const meta: MetaFunction = ({ error }) => [
  { title: error ? errorPageTitle(error) : "StayWell – support for health and care staff" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (!user) return { user: null };
  // Every page runs this: the two lookups go to the database together, not one after the other.
  const [hub, waiting] = await Promise.all([canUseHub(user), myRequestsWaitingOnMe(user, 0)]);
  return {
    user: {
      name: user.name,
      canUseHub: hub,
      canSeeInsights: canSeeInsights(user),
      canAdminister: canAdminister(user),
      waitingForReply: waiting.total,
    },
  };
}

/**
 * Remix does not run this loader again on a client-side navigation unless told to. Someone whose
 * role must use two-step verification and has not set it up is kept on /account/security by this
 * loader (getOptionalUser redirects them from every other path, docs/decisions/029); a link from
 * there to a page whose own loader does not ask who is signed in (the support catalogue, the
 * privacy notice) would otherwise show that page without the redirect until the next full load. So
 * every navigation away from the setup page asks again. Elsewhere Remix's default stands.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || isTwoStepSetupPath(currentUrl.pathname);

// zod builds fast parsers with `new Function` where it may, and probes for that with one: the CSP
// refuses it (no 'unsafe-eval'), and Chromium reports the refusal even though zod catches it.
// Its jitless switch turns the probe off, but it must be set before the first object schema is
// made, i.e. before any route module runs: so here, ahead of every module script, in zod's own
// shared config object (what z.config() writes to). docs/decisions/020.
const ZOD_JITLESS = "globalThis.__zod_globalConfig=Object.assign(globalThis.__zod_globalConfig||{},{jitless:true})";

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  // Work queues use the full width of the screen (a route sets `handle = { fluid: true }`).
  const fluid = useMatches().some((m) => (m.handle as { fluid?: boolean } | undefined)?.fluid);
  // The Content-Security-Policy nonce for Remix's inline scripts (docs/decisions/020).
  const nonce = useNonce();
  useEffect(() => {
    // Lets browser tests know React has taken over the page before they type.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  // After a client-side navigation the address changes before React has committed the new page
  // (the router pushes history, then renders in a transition): this effect runs after the commit,
  // so browser tests wait for it before reading the page (tests/e2e/support/steps.ts waitForPage).
  const location = useLocation();
  useEffect(() => {
    document.documentElement.dataset.renderedLocation = location.pathname + location.search;
  }, [location.pathname, location.search]);
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: ZOD_JITLESS }} />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="nhsuk-skip-link" href="#maincontent">
          Skip to main content
        </a>
        <SiteHeader user={data?.user ?? null} />
        <div className={fluid ? "nhsuk-width-container-fluid" : "nhsuk-width-container"}>
          <main className="nhsuk-main-wrapper" id="maincontent" tabIndex={-1}>
            {children}
          </main>
        </div>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        <h1>Page not found</h1>
        <p>If you typed the web address, check it is correct.</p>
        <p>If you pasted the web address, check you copied the entire address.</p>
        <p>
          You can <a href="/support">find support</a> or <a href="/my/requests">see your requests</a>.
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <>
        <h1>You do not have access to this page</h1>
        <p>Your account does not include access to this part of StayWell.</p>
        <p>
          <a href="/">Go to the StayWell home page</a>
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 503) {
    // The database cannot be reached (app/entry.server.tsx): nothing was saved, try again soon.
    return (
      <>
        <h1>Sorry, the service is unavailable</h1>
        <p>StayWell cannot reach its records at the moment. Try again in a few minutes.</p>
        <p>If you were sending a form, it was not saved: send it again when the service is back.</p>
        <p>
          If you need help now with your mental health, call NHS 111 and select option 2, or call Samaritans on 116 123.
          In an emergency call 999.
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 400) {
    return (
      <>
        <h1>Sorry, StayWell could not read what was sent</h1>
        <p>Go back and try again. If you typed the web address, check it is correct.</p>
        <p>
          <a href="/">Go to the StayWell home page</a>
        </p>
      </>
    );
  }
  // Never show the error itself: it may hold internal details. The server log has it.
  return (
    <>
      <h1>Sorry, there is a problem with the service</h1>
      <p>Try again later.</p>
      <p>
        Nothing you sent has been half-saved: if you were submitting a form, it either went through in full or not at
        all.
      </p>
      <p>
        If you need help now with your mental health, call NHS 111 and select option 2, or call Samaritans on 116 123.
        In an emergency call 999.
      </p>
    </>
  );
}
