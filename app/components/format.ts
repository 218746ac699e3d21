// Dates and times as people in England read them.
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h12",
  timeZone: "Europe/London",
});

/** "5 March 2026". */
export function formatDate(date: Date | string) {
  return dateFormat.format(new Date(date));
}

/** "5 March 2026 at 2:05pm". */
export function formatDateTime(date: Date | string) {
  const d = new Date(date);
  return `${dateFormat.format(d)} at ${timeFormat.format(d).replace(/\s/g, "").toLowerCase()}`;
}
