// Time-series charts: one thin wrapper over the vendored uPlot (vendor/VENDORED.md), so every page
// draws with the same colours (the stylesheet's variables, light or dark as the OS says), sizes
// itself to its container and stops cleanly when the page unmounts.
import uPlot from './vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';

// Distinguishable in light and dark themes; series beyond these reuse them.
export const palette = ['#2f6fde', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#0c8599', '#f08c00', '#5c7cfa'];

function showLatest(plot) {
  const count = plot.data[0].length;
  if (count > 0) {
    plot.setLegend({ idx: count - 1 }, false);
  }
}

function cssVar(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * A line chart over time in `container`.
 * `options`: `title`, `series` (array of `{ label, color? }`), `unit` (shown on the y axis, e.g. '%'),
 * `yRange` (`[min, max]` to fix the axis, e.g. `[0, 100]`), `height` (px, default 220),
 * `testId` (the wrapper's data-testid), `spanGaps` (draw a series' line across nulls: for sparse series that
 * share one x array, e.g. one series per model), `points` (mark every value with a dot).
 * Returns `{ element, update(xs, ...ys), destroy() }`: `xs` are UNIX seconds, each `ys[i]` the values
 * of `series[i]` (null for a gap).
 */
export function timeChart(container, options) {
  const element = h('figure', { className: 'chart', 'data-testid': options.testId },
    options.title ? h('figcaption', { text: options.title }) : null);
  container.append(element);
  const text = cssVar('--text', '#1d2330');
  const grid = cssVar('--border', '#dde1e8');
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
  };

  const plot = new uPlot({
    width: Math.max(element.clientWidth, 240),
    height: options.height ?? 220,
    scales: {
      x: { time: true },
      y: options.yRange ? { range: options.yRange } : { auto: true },
    },
    axes: [axis, { ...axis, label: options.unit ?? '', size: 60 }],
    series: [
      {},
      ...options.series.map((s, i) => ({
        label: s.label,
        stroke: s.color ?? palette[i % palette.length],
        width: 1.5,
        spanGaps: options.spanGaps ?? false,
        points: { show: options.points ?? false },
      })),
    ],
    legend: { live: true },
    // Away from the cursor the legend shows the newest values instead of dashes.
    hooks: { setCursor: [(u) => { if (u.cursor.idx == null) showLatest(u); }] },
  }, [[], ...options.series.map(() => [])], element);

  const resize = new ResizeObserver(() => {
    const width = Math.max(element.clientWidth, 240);
    if (width !== plot.width) {
      plot.setSize({ width, height: plot.height });
    }
  });
  resize.observe(element);

  return {
    element,
    update(xs, ...ys) {
      plot.setData([xs, ...ys]);
      if (plot.cursor.idx == null) {
        showLatest(plot);
      }
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
      element.remove();
    },
  };
}
