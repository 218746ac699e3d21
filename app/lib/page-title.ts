import { isRouteErrorResponse } from "@remix-run/react";

/** The document title of an error page, from the error a route threw. */
export function errorPageTitle(error: unknown, forbidden = "You do not have access to this page"): string {
  if (isRouteErrorResponse(error) && error.status === 404) return "Page not found – StayWell";
  if (isRouteErrorResponse(error) && error.status === 403) return `${forbidden} – StayWell`;
  if (isRouteErrorResponse(error) && error.status === 503) return "Sorry, the service is unavailable – StayWell";
  if (isRouteErrorResponse(error) && error.status === 400)
    return "Sorry, StayWell could not read what was sent – StayWell";
  return "Sorry, there is a problem with the service – StayWell";
}
