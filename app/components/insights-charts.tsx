// Charts for manager insights: inline SVG drawn on the server from PUBLISHED figures only (a
// suppressed figure has value null: it gets no bar, only a hatched marker and "*", never a 0).
//
// Each chart is role="img" with a <title>, and points with aria-describedby at the caption of the
// data table that holds the same figures (the table is the accessible version). Every bar carries
// its number as text, so nothing is told by colour alone; the outcome segments also differ by
// pattern. Sizes: no viewBox scaling of text. x positions and widths are percentages of the
// chart's width and the text is in CSS pixels, so the same SVG reads at 16px on a 320px phone
// and on a desktop; long labels wrap onto more lines.
//
// Few elements (ADR 041, addendum of 30 November, evening: React's server render costs per
// element): a label line is one <text> (no <tspan>, no <g> per row); a bar chart's plain bars are
// one <path> in a nested SVG whose 0–100 x axis stretches to the chart's width (so the bars keep
// their percentage widths); the keys' swatches paint with the chart's own patterns.
import { Fragment, type ReactNode } from "react";
import type { Figure } from "~/lib/insights/types";

// NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
const NHS_BLUE = "#005eb8"; // 6.1:1 on white
const TEXT = "#212b32"; // 15:1
const SECONDARY_TEXT = "#4c6272"; // 6.2:1
const GRID = "#d8dde0"; // decorative only (the numbers are written on the bars)
const HATCH = "#425563"; // 7.6:1

const FONT = "Frutiger W01, Arial, sans-serif";
const LINE = 20;
const BAR = 18;
const ROW_GAP = 14;
/** Share of the width bars may take: the rest is for the number after the longest bar. */
const BAR_AREA = 72;

/** Splits a label into lines of at most `max` characters (words kept whole where they fit). */
export function wrapLabel(text: string, max = 36): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Lines of text, one <text> each, left-aligned at x = 0 from `top`. */
function TextLines({
  lines,
  top,
  fontSize,
  fontWeight,
  fill,
}: {
  lines: string[];
  top: number;
  fontSize: string;
  fontWeight?: number;
  fill?: string;
}) {
  return (
    <>
      {lines.map((line, i) => (
        <text key={i} x="0" y={top + 15 + i * LINE} fontSize={fontSize} fontWeight={fontWeight} fill={fill}>
          {line}
        </text>
      ))}
    </>
  );
}

/**
 * Plain rectangles of NHS blue, x and width in percent of the chart's width, y and height in
 * pixels, drawn as one path: the nested SVG maps x 0–100 onto the full width and y one to one.
 */
function Bars({ bars, height }: { bars: { x: number; y: number; width: number; height: number }[]; height: number }) {
  if (!bars.length) return null;
  const d = bars
    .map((b) => `M${round2(b.x)} ${round2(b.y)}h${round2(b.width)}v${round2(b.height)}h${-round2(b.width)}z`)
    .join("");
  return (
    <svg width="100%" height={height} viewBox={`0 0 100 ${height}`} preserveAspectRatio="none" overflow="visible">
      <path d={d} fill={NHS_BLUE} />
    </svg>
  );
}

function HatchPattern({ id }: { id: string }) {
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="#ffffff" />
      <line x1="0" y1="0" x2="0" y2="6" stroke={HATCH} strokeWidth="3" />
    </pattern>
  );
}

/** The outer SVG: full width, its height in pixels, named by its <title>, described by the table. */
function ChartSvg({
  id,
  title,
  describedBy,
  height,
  children,
}: {
  id: string;
  title: string;
  describedBy?: string;
  height: number;
  children: ReactNode;
}) {
  const titleId = `${id}-title`;
  return (
    <svg
      id={id}
      className="staywell-chart"
      role="img"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      width="100%"
      height={height}
      focusable="false"
      fontFamily={FONT}
      fill={TEXT}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={titleId}>{title}</title>
      {children}
    </svg>
  );
}

/** The marker a suppressed figure gets in place of a bar: hatched, labelled "*". */
function SuppressedMarker({ x, y, patternId, text }: { x: number; y: number; patternId: string; text: string }) {
  return (
    <>
      <rect x={x} y={y} width={14} height={BAR} fill={`url(#${patternId})`} stroke={HATCH} strokeWidth="1" />
      <text x={x + 20} y={y + 14} fontSize="16" fontWeight="600">
        {text}
      </text>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// horizontal bars (organisations, staff groups, tenure, responsiveness, satisfaction)

export interface BarRow {
  key: string;
  label: string;
  figure: Figure;
  /** A second, smaller line under the label (e.g. "4.1 per 100 staff"). */
  note?: string;
  /** Bold label (e.g. an "All support" row). */
  strong?: boolean;
}

export function HorizontalBarChart({
  id,
  title,
  describedBy,
  rows,
  max,
  unit = "",
}: {
  id: string;
  title: string;
  describedBy?: string;
  rows: BarRow[];
  /** The value a full-length bar stands for (default: the largest value shown). */
  max?: number;
  /** Written after each number, e.g. "%" (only when the figure's text does not already end in it). */
  unit?: string;
}) {
  const hatchId = `${id}-hatch`;
  const top = Math.max(1, max ?? 0, ...rows.map((r) => r.figure.value ?? 0));
  let y = 4;
  const bars: { x: number; y: number; width: number; height: number }[] = [];
  const drawn = rows.map((row) => {
    const lines = wrapLabel(row.label);
    const noteLines = row.note ? wrapLabel(row.note, 40) : [];
    const labelTop = y;
    const barY = labelTop + (lines.length + noteLines.length) * LINE + 4;
    y = barY + BAR + ROW_GAP;
    const value = row.figure.value;
    const width = value === null ? 0 : (Math.max(0, value) / top) * BAR_AREA;
    const text =
      unit && !row.figure.suppressed && !row.figure.text.endsWith(unit) ? `${row.figure.text}${unit}` : row.figure.text;
    if (value !== null && width > 0) bars.push({ x: 0, y: barY, width, height: BAR });
    return (
      <Fragment key={row.key}>
        <TextLines lines={lines} top={labelTop} fontSize="16" fontWeight={row.strong ? 600 : 400} />
        {noteLines.length ? (
          <TextLines lines={noteLines} top={labelTop + lines.length * LINE} fontSize="14" fill={SECONDARY_TEXT} />
        ) : null}
        {value === null ? (
          <SuppressedMarker x={0} y={barY} patternId={hatchId} text={text} />
        ) : (
          <text x={pct(width)} dx={width > 0 ? 6 : 4} y={barY + 14} fontSize="16" fontWeight="600">
            {text}
          </text>
        )}
      </Fragment>
    );
  });
  return (
    <ChartSvg id={id} title={title} describedBy={describedBy} height={y}>
      <defs>
        <HatchPattern id={hatchId} />
      </defs>
      <line x1="0.5" x2="0.5" y1="0" y2={y - ROW_GAP + 2} stroke={SECONDARY_TEXT} strokeWidth="1" />
      <Bars bars={bars} height={y} />
      {drawn}
    </ChartSvg>
  );
}

// ---------------------------------------------------------------------------------------------
// monthly trend (vertical bars; a suppressed month is a hatched marker with "*", never a 0)

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A round step for about `count` gridlines up to `max`. */
export function niceStep(max: number, count = 4): number {
  const raw = Math.max(max, 1) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(1, step);
}

export function MonthlyTrendChart({
  id,
  title,
  describedBy,
  months,
  totals,
}: {
  id: string;
  title: string;
  describedBy?: string;
  months: { key: string; label: string }[];
  totals: Figure[];
}) {
  const hatchId = `${id}-hatch`;
  const n = Math.max(1, months.length);
  const largest = Math.max(0, ...totals.map((f) => f.value ?? 0));
  const step = niceStep(largest);
  const top = Math.max(step, Math.ceil(largest / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);

  const plotTop = 12;
  const plotHeight = 170;
  const base = plotTop + plotHeight;
  const height = base + 46;
  // The axis labels take a share of the width (no px + % arithmetic in SVG attributes): enough
  // for the longest label on a 288px-wide chart, and the bars share the rest.
  const longest = Math.max(...ticks.map((t) => t.toLocaleString("en-GB").length));
  const gutter = 4 + 2.6 * longest;
  const slot = (100 - gutter) / n;
  const labelEvery = Math.ceil(n / 6);
  let lastYear = "";

  return (
    <ChartSvg id={id} title={title} describedBy={describedBy} height={height}>
      <defs>
        <HatchPattern id={hatchId} />
      </defs>
      {ticks.map((t) => {
        const y = base - (t / top) * plotHeight;
        return (
          <Fragment key={t}>
            <text x={pct(gutter)} dx="-6" y={y + 5} fontSize="14" textAnchor="end" fill={SECONDARY_TEXT}>
              {t.toLocaleString("en-GB")}
            </text>
            <line x1={pct(gutter)} x2="100%" y1={y} y2={y} stroke={t === 0 ? SECONDARY_TEXT : GRID} strokeWidth="1" />
          </Fragment>
        );
      })}
      {months.map((month, i) => {
        const figure = totals[i];
        const centre = pct(gutter + (i + 0.5) * slot);
        const x = pct(gutter + i * slot + slot * 0.15);
        const w = pct(slot * 0.7);
        const [year, mm] = month.key.split("-");
        const showLabel = i % labelEvery === 0;
        const showYear = showLabel && year !== lastYear;
        if (showYear) lastYear = year;
        return (
          <Fragment key={month.key}>
            {figure?.value === null || figure === undefined ? (
              <>
                <rect
                  x={x}
                  width={w}
                  y={base - 22}
                  height={22}
                  fill={`url(#${hatchId})`}
                  stroke={HATCH}
                  strokeWidth="1"
                />
                <text x={centre} y={base - 28} fontSize="16" fontWeight="600" textAnchor="middle">
                  {figure?.text ?? "*"}
                </text>
              </>
            ) : figure.value > 0 ? (
              <rect
                x={x}
                width={w}
                y={base - (figure.value / top) * plotHeight}
                height={(figure.value / top) * plotHeight}
                fill={NHS_BLUE}
              >
                <title>{`${month.label}: ${figure.text}`}</title>
              </rect>
            ) : null}
            {showLabel ? (
              <text x={centre} y={base + 18} fontSize="14" textAnchor="middle">
                {SHORT_MONTHS[Number(mm) - 1] ?? mm}
              </text>
            ) : null}
            {showYear ? (
              <text x={centre} y={base + 36} fontSize="14" textAnchor="middle" fill={SECONDARY_TEXT}>
                {year}
              </text>
            ) : null}
          </Fragment>
        );
      })}
    </ChartSvg>
  );
}

// ---------------------------------------------------------------------------------------------
// outcomes by support (stacked bars: colour AND pattern per outcome, a key, totals written)

const SERIES: { colour: string; mark: "none" | "stripes" | "dots" | "lines" | "cross" }[] = [
  { colour: NHS_BLUE, mark: "none" },
  { colour: "#007f3b", mark: "stripes" }, // NHS green 5.1:1
  { colour: "#330072", mark: "dots" }, // NHS purple 14:1
  { colour: "#425563", mark: "lines" }, // NHS dark grey 7.6:1
  { colour: "#ae2573", mark: "cross" }, // NHS pink 5.9:1
  { colour: "#00403a", mark: "dots" }, // NHS dark green 11:1
  { colour: "#7c2855", mark: "stripes" }, // NHS dark pink 9.4:1
  { colour: "#d5281b", mark: "lines" }, // NHS red 4.9:1
];

function SeriesPattern({ id, index }: { id: string; index: number }) {
  const { colour, mark } = SERIES[index % SERIES.length];
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width="8" height="8">
      <rect width="8" height="8" fill={colour} />
      {mark === "stripes" ? <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" strokeWidth="1.5" /> : null}
      {mark === "dots" ? <circle cx="4" cy="4" r="1.5" fill="#ffffff" /> : null}
      {mark === "lines" ? <line x1="0" y1="4" x2="8" y2="4" stroke="#ffffff" strokeWidth="1.5" /> : null}
      {mark === "cross" ? <path d="M0,0 L8,8 M8,0 L0,8" stroke="#ffffff" strokeWidth="1" /> : null}
    </pattern>
  );
}

export interface StackedRow {
  key: string;
  label: string;
  cells: Figure[];
  total: Figure;
}

export function StackedBarChart({
  id,
  title,
  describedBy,
  series,
  rows,
}: {
  id: string;
  title: string;
  describedBy?: string;
  series: { value: string; label: string }[];
  rows: StackedRow[];
}) {
  const hatchId = `${id}-hatch`;
  const patternId = (i: number) => `${id}-series-${i}`;
  const top = Math.max(
    1,
    ...rows.map((r) =>
      Math.max(
        r.total.value ?? 0,
        r.cells.reduce((sum, c) => sum + (c.value ?? 0), 0),
      ),
    ),
  );
  let y = 4;
  const drawn = rows.map((row) => {
    const lines = wrapLabel(row.label);
    const labelTop = y;
    const barY = labelTop + lines.length * LINE + 4;
    y = barY + BAR + ROW_GAP;
    let at = 0;
    const segments = row.cells.map((cell, i) => {
      if (cell.value === null || cell.value <= 0) return null;
      const w = (cell.value / top) * BAR_AREA;
      const seg = (
        <rect
          key={i}
          x={pct(at)}
          y={barY}
          width={pct(w)}
          height={BAR}
          fill={`url(#${patternId(i)})`}
          stroke="#ffffff"
          strokeWidth="2"
        >
          <title>{`${series[i]?.label ?? ""}: ${cell.text}`}</title>
        </rect>
      );
      at += w;
      return seg;
    });
    // What the total has beyond the figures shown (suppressed outcomes): hatched, never guessed.
    const totalWidth = row.total.value === null ? null : (row.total.value / top) * BAR_AREA;
    const rest =
      totalWidth !== null && totalWidth - at > 0.01 && row.cells.some((c) => c.value === null) ? totalWidth - at : 0;
    const end = Math.max(at + rest, totalWidth ?? 0);
    return (
      <Fragment key={row.key}>
        <TextLines lines={lines} top={labelTop} fontSize="16" />
        {row.total.value === null && at === 0 ? (
          <SuppressedMarker x={0} y={barY} patternId={hatchId} text={row.total.text} />
        ) : (
          <>
            {segments}
            {rest > 0 ? (
              <rect
                x={pct(at)}
                y={barY}
                width={pct(rest)}
                height={BAR}
                fill={`url(#${hatchId})`}
                stroke="#ffffff"
                strokeWidth="2"
              />
            ) : null}
            <text x={pct(end)} dx={end > 0 ? 6 : 4} y={barY + 14} fontSize="16" fontWeight="600">
              {row.total.text}
            </text>
          </>
        )}
      </Fragment>
    );
  });
  return (
    <>
      <ChartKey
        items={[
          ...series.map((s, i) => ({ key: s.value, label: s.label, swatchId: patternId(i) })),
          { key: "suppressed", label: "Not shown (*)", swatchId: hatchId },
        ]}
      />
      <ChartSvg id={id} title={title} describedBy={describedBy} height={y}>
        <defs>
          <HatchPattern id={hatchId} />
          {series.map((s, i) => (
            <SeriesPattern key={s.value} id={patternId(i)} index={i} />
          ))}
        </defs>
        <line x1="0.5" x2="0.5" y1="0" y2={y - ROW_GAP + 2} stroke={SECONDARY_TEXT} strokeWidth="1" />
        {drawn}
      </ChartSvg>
    </>
  );
}

/**
 * The key to a chart's colours and patterns, as a list (text, so it wraps on a phone). Each swatch
 * paints with the pattern the chart defines (`swatchId`), not a copy of it.
 */
function ChartKey({ items }: { items: { key: string; label: string; swatchId: string }[] }) {
  return (
    <ul className="nhsuk-list staywell-chart-key" aria-label="Key">
      {items.map((item) => (
        <li key={item.key}>
          <svg width="20" height="16" aria-hidden="true" focusable="false">
            <rect
              x="0.5"
              y="0.5"
              width="19"
              height="15"
              fill={`url(#${item.swatchId})`}
              stroke={SECONDARY_TEXT}
              strokeWidth="1"
            />
          </svg>{" "}
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** Under a chart with suppressed figures (its `id`): what the hatched marker means, painted with the chart's own hatching. */
export function SuppressedKey({ id }: { id: string }) {
  const patternId = `${id}-hatch`;
  return (
    <p className="nhsuk-body-s staywell-chart-note">
      <svg width="20" height="16" aria-hidden="true" focusable="false">
        <rect x="0.5" y="0.5" width="19" height="15" fill={`url(#${patternId})`} stroke={HATCH} strokeWidth="1" />
      </svg>{" "}
      * means the figure is not shown, to protect privacy. It is not zero.
    </p>
  );
}
