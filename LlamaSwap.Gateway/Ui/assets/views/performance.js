// Performance: the last hour of CPU, memory and per-GPU samples from /api/performance (llama-swap's
// ring buffer), drawn with charts.js and extended every few seconds with ?after=<newest sample>.
import { getJson, HttpError } from '../api.js';
import { errorLine, h, replaceChildren, toolbar } from '../dom.js';
import { time } from '../format.js';
import { timeChart } from '../charts.js';

const pollMs = 3000;
const windowSeconds = 3600;
const gib = 1024;

export function mount(container) {
  const error = errorLine('performance-error');
  const updated = h('span', { className: 'notice', 'data-testid': 'performance-updated' });
  const notice = h('p', { className: 'notice', hidden: true });
  const tiles = h('div', { className: 'perf-tiles', 'data-testid': 'performance-summary' });
  const systemCharts = h('div', { className: 'perf-charts' });
  const gpuSection = h('div', { className: 'perf-charts' });
  const gpuNotice = h('p', { className: 'notice', 'data-testid': 'performance-no-gpu', hidden: true, text: 'No GPU detected: the GPU section is empty.' });
  container.append(toolbar('Performance', updated), error.element, notice, tiles,
    h('div', { className: 'panel perf-panel' }, systemCharts),
    h('h2', { className: 'perf-heading', text: 'GPUs' }), gpuNotice,
    h('div', { className: 'panel perf-panel' }, gpuSection));

  let sys = [];
  let gpus = [];
  let charts = null;
  let gpuCharts = null;
  let gpuKey = '';
  let timer = null;
  let disposed = false;

  poll();

  async function poll() {
    const newest = sys.at(-1)?.timestamp ?? gpus.at(-1)?.timestamp;
    try {
      const body = await getJson(newest ? `/api/performance?after=${encodeURIComponent(newest)}` : '/api/performance');
      if (disposed) {
        return;
      }
      error.clear();
      notice.hidden = true;
      sys = keepLastHour(sys.concat(body.sys_stats ?? []));
      gpus = keepLastHour(gpus.concat(body.gpu_stats ?? []));
      draw();
    } catch (e) {
      if (disposed) {
        return;
      }
      if (e instanceof HttpError && e.status === 503) {
        notice.textContent = 'Performance monitoring is off (performance.disabled in the config).';
        notice.dataset.testid = 'performance-disabled';
        notice.hidden = false;
      } else {
        error.show(`Could not load performance data: ${e.message}`);
      }
    }
    if (!disposed) {
      timer = setTimeout(poll, pollMs);
    }
  }

  function draw() {
    if (sys.length > 0) {
      const cores = sys.at(-1).cpu_util_per_core.length;
      if (!charts || charts.cores !== cores) {
        charts?.destroy();
        charts = systemChartsFor(systemCharts, cores);
      }
      charts.update(sys);
      updated.textContent = `Last sample ${time(sys.at(-1).timestamp)} · ${sys.length} samples`;
    }

    const ids = [...new Map(gpus.map((g) => [g.id, g.name])).entries()].sort((a, b) => a[0] - b[0]);
    const key = JSON.stringify(ids);
    if (key !== gpuKey) {
      gpuCharts?.destroy();
      gpuCharts = ids.length > 0 ? gpuChartsFor(gpuSection, ids) : null;
      gpuKey = key;
    }
    gpuNotice.hidden = ids.length > 0;
    gpuCharts?.update(gpus);
    renderTiles(ids);
  }

  function renderTiles(ids) {
    const last = sys.at(-1);
    const items = [];
    if (last) {
      items.push(tile('CPU', `${average(last.cpu_util_per_core).toFixed(1)} %`, `${last.cpu_util_per_core.length} cores · load ${last.load_avg_1.toFixed(2)}`, 'tile-cpu'));
      items.push(tile('Memory', `${(last.mem_used_mb / gib).toFixed(1)} / ${(last.mem_total_mb / gib).toFixed(1)} GiB`, `swap ${(last.swap_used_mb / gib).toFixed(1)} / ${(last.swap_total_mb / gib).toFixed(1)} GiB`, 'tile-memory'));
    }
    for (const [id, name] of ids) {
      const g = gpus.findLast((s) => s.id === id);
      items.push(tile(`GPU ${id}`, `${g.gpu_util_pct.toFixed(0)} % · ${(g.mem_used_mb / gib).toFixed(1)} / ${(g.mem_total_mb / gib).toFixed(1)} GiB`, name, `tile-gpu-${id}`));
    }
    replaceChildren(tiles, items);
  }

  return () => {
    disposed = true;
    clearTimeout(timer);
    charts?.destroy();
    gpuCharts?.destroy();
  };
}

function systemChartsFor(container, cores) {
  const cpu = timeChart(container, {
    title: 'CPU utilisation',
    unit: '%',
    yRange: [0, 100],
    testId: 'chart-cpu',
    series: [{ label: 'average' }, ...Array.from({ length: cores }, (_, i) => ({ label: `core ${i}` }))],
  });
  const memory = timeChart(container, {
    title: 'Memory',
    unit: 'GiB',
    testId: 'chart-memory',
    series: [{ label: 'used' }, { label: 'total' }, { label: 'swap used' }],
  });
  return {
    cores,
    update(samples) {
      const xs = samples.map(seconds);
      const perCore = Array.from({ length: cores }, (_, i) => samples.map((s) => s.cpu_util_per_core[i] ?? null));
      cpu.update(xs, samples.map((s) => average(s.cpu_util_per_core)), ...perCore);
      memory.update(xs, samples.map((s) => s.mem_used_mb / gib), samples.map((s) => s.mem_total_mb / gib), samples.map((s) => s.swap_used_mb / gib));
    },
    destroy() {
      cpu.destroy();
      memory.destroy();
    },
  };
}

function gpuChartsFor(container, ids) {
  const label = ([id, name]) => `GPU ${id} ${name}`;
  const utilisation = timeChart(container, {
    title: 'GPU utilisation',
    unit: '%',
    yRange: [0, 100],
    testId: 'chart-gpu-util',
    series: ids.map((gpu) => ({ label: label(gpu) })),
  });
  const memory = timeChart(container, {
    title: 'GPU memory used',
    unit: 'GiB',
    testId: 'chart-gpu-memory',
    series: ids.map((gpu) => ({ label: label(gpu) })),
  });
  return {
    update(samples) {
      // One x per sampling round; a GPU missing from a round is a gap.
      const xs = [...new Set(samples.map(seconds))].sort((a, b) => a - b);
      const index = new Map(xs.map((x, i) => [x, i]));
      const util = ids.map(() => xs.map(() => null));
      const used = ids.map(() => xs.map(() => null));
      for (const s of samples) {
        const g = ids.findIndex(([id]) => id === s.id);
        const i = index.get(seconds(s));
        util[g][i] = s.gpu_util_pct;
        used[g][i] = s.mem_used_mb / gib;
      }
      utilisation.update(xs, ...util);
      memory.update(xs, ...used);
    },
    destroy() {
      utilisation.destroy();
      memory.destroy();
    },
  };
}

function tile(title, value, detail, testId) {
  return h('div', { className: 'perf-tile', 'data-testid': testId },
    h('span', { className: 'perf-tile-title', text: title }),
    h('strong', { text: value }),
    h('span', { className: 'notice', text: detail }));
}

function keepLastHour(samples) {
  const oldest = Date.now() / 1000 - windowSeconds;
  return samples.filter((s) => seconds(s) >= oldest);
}

function seconds(sample) {
  return Date.parse(sample.timestamp) / 1000;
}

function average(values) {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
