import { percentOfMax, stackSegments } from './scale';

export interface Bar {
  readonly label: string;
  /** One value per series; a single series draws plain bars. */
  readonly values: readonly number[];
}

interface Props {
  readonly id: string;
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly series: readonly string[];
  /** A vertical line across the bars, e.g. the mean. */
  readonly marker?: { readonly value: number; readonly label: string };
}

const ROW = 44;
const BAR_Y = 18;
const BAR_HEIGHT = 16;

/**
 * Horizontal (stacked) bars drawn as SVG, no chart library: a label above each
 * bar keeps long department names readable at 390 px, and x positions in
 * percent let the chart follow the page's width. The data is also shown as a
 * table beside it, so the chart itself is one labelled image.
 */
export function BarChart({ id, title, bars, series, marker }: Props) {
  const totals = bars.map((bar) => bar.values.reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals, marker?.value ?? 0);
  const height = bars.length * ROW + (marker ? 18 : 0);
  const markerX = marker ? percentOfMax(marker.value, max) : 0;
  return (
    <figure class="chart">
      {series.length > 1 && (
        <ul class="legend" aria-hidden="true">
          {series.map((name, i) => (
            <li key={name}>
              <span class={`swatch series-${i}`} /> {name}
            </li>
          ))}
        </ul>
      )}
      <svg id={id} width="100%" height={height} role="img" aria-labelledby={`${id}-title`} data-bars={bars.length}>
        <title id={`${id}-title`}>{title}</title>
        {bars.map((bar, i) => (
          <g key={bar.label} class="bar" data-label={bar.label} transform={`translate(0 ${i * ROW})`}>
            <text x="0" y="13" class="bar-label">
              {bar.label} · {totals[i]}
            </text>
            {stackSegments(bar.values, max).map((segment, s) => (
              <rect key={s} class={`series-${s}`} x={`${segment.start}%`} y={BAR_Y} width={`${segment.length}%`} height={BAR_HEIGHT}>
                <title>{`${bar.label}, ${series[s]}: ${bar.values[s]}`}</title>
              </rect>
            ))}
          </g>
        ))}
        {marker && (
          <g class="marker">
            <line x1={`${markerX}%`} x2={`${markerX}%`} y1="0" y2={height - 16} />
            <text x={`${markerX}%`} y={height - 3} text-anchor={markerX < 15 ? 'start' : markerX > 85 ? 'end' : 'middle'}>
              {marker.label}
            </text>
          </g>
        )}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
