// Hardware: the machine as the gateway detected it at start-up (GET /api/hardware, llama-swap's
// HardwareSnapshot): system, CPU, memory and the GPUs, or why there is nothing to show.
import { getJson, HttpError } from '../api.js';
import { errorLine, h, toolbar } from '../dom.js';

export function mount(container) {
  const error = errorLine('hardware-error');
  const body = h('div', { 'data-testid': 'hardware' });
  let disposed = false;
  container.append(toolbar('Hardware'), error.element, body);
  load();

  async function load() {
    try {
      const hardware = await getJson('/api/hardware');
      if (!disposed) {
        body.append(...render(hardware));
      }
    } catch (e) {
      if (disposed) {
        return;
      }
      if (e instanceof HttpError && e.status === 503) {
        body.append(h('div', { className: 'panel hw-section', 'data-testid': 'hardware-unavailable' },
          h('h2', { text: 'Hardware detection unavailable' }),
          h('p', { className: 'notice', text: 'No hardware snapshot was taken at start-up (not Linux, or the GPU tool has not answered yet).' })));
      } else {
        error.show(`Could not load the hardware: ${e.message}`);
      }
    }
  }

  return () => {
    disposed = true;
  };
}

function render(hw) {
  const os = [hw.operating_system.name ?? hw.operating_system.family, hw.operating_system.version].filter(Boolean).join(' ');
  return [
    h('div', { className: 'hw-grid' },
      section('System', 'hardware-system', [
        ['Operating system', os],
        ['Kernel', hw.operating_system.kernel],
        ['Architecture', hw.architecture.name],
        ['Environment', hw.environment.kind],
        ['Memory', bytes(hw.memory.capacity_bytes)],
      ]),
      section('CPU', 'hardware-cpu', [
        ['Model', hw.cpu.model],
        ['Vendor', hw.cpu.vendor],
        ['Sockets', hw.cpu.socket_count],
        ['Physical cores', hw.cpu.physical_core_count],
        ['Logical threads', hw.cpu.logical_thread_count],
      ])),
    h('div', { className: 'panel hw-section' },
      h('h2', { text: `GPUs (${hw.accelerators.length})` }),
      hw.accelerators.length === 0
        ? h('p', { className: 'notice', 'data-testid': 'hardware-no-gpu', text: 'No GPU detected (no nvidia-smi or rocm-smi on PATH, no amdgpu in sysfs).' })
        : h('table', { 'data-testid': 'hardware-gpus' },
          h('thead', {}, h('tr', {},
            h('th', { className: 'num', text: '#' }),
            h('th', { text: 'Model' }),
            h('th', { text: 'Vendor' }),
            h('th', { className: 'num', text: 'Memory' }),
            h('th', { text: 'Driver' }),
            h('th', { className: 'num', text: 'Power limit' }))),
          h('tbody', {}, hw.accelerators.map((a) => h('tr', {},
            h('td', { className: 'num', text: a.index }),
            h('td', { text: a.model ?? 'unknown' }),
            h('td', { text: a.vendor ?? 'unknown' }),
            h('td', { className: 'num', text: a.memory.capacity_bytes ? `${bytes(a.memory.capacity_bytes)} (${a.memory.kind})` : a.memory.kind }),
            h('td', { text: [a.driver?.name, a.driver?.version].filter(Boolean).join(' ') || 'unknown' }),
            h('td', { className: 'num', text: a.power_limit_watts ? `${a.power_limit_watts} W` : 'unknown' })))))),
  ];
}

function section(title, testId, rows) {
  return h('div', { className: 'panel hw-section', 'data-testid': testId },
    h('h2', { text: title }),
    h('dl', { className: 'hw-list' }, rows.flatMap(([label, value]) => [
      h('dt', { text: label }),
      h('dd', { text: value ?? 'not detected' }),
    ])));
}

function bytes(value) {
  if (!value) {
    return 'not detected';
  }
  const gibibytes = value / 1024 ** 3;
  return gibibytes >= 1 ? `${gibibytes.toFixed(1)} GiB` : `${(value / 1024 ** 2).toFixed(0)} MiB`;
}
