import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Accessibility statement – StayWell" }];

export default function Accessibility() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Accessibility statement</h1>
        <p>
          StayWell is built with the NHS.UK design system and aims to meet the Web Content Accessibility Guidelines
          (WCAG) version 2.2 at level AA.
        </p>
        <p>You should be able to:</p>
        <ul>
          <li>use every page with a keyboard only</li>
          <li>use every form with JavaScript turned off</li>
          <li>zoom in up to 400% without text spilling off the screen</li>
          <li>use the service with a screen reader</li>
        </ul>
        <p>Every page is checked automatically with axe in our tests.</p>
        <h2>Reporting a problem</h2>
        <p>
          If something does not work for you, tell the people hub through any of your requests, or ask your
          organisation's IT service desk.
        </p>
      </div>
    </div>
  );
}
