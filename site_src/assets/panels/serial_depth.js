// Lesson 2's panel: serial depth on the reader's GPU. The recurrence h[t] = a * h[t-1] + x[t] over T
// steps, three ways (kernels in serial_depth.wgsl): one GPU thread walking every step (depth T), one
// dispatch per step (a naive RNN: a launch per step), and a Hillis-Steele parallel scan (depth about
// log2 T), beside the same loop in JavaScript on one CPU thread.

import { STORAGE, UNIFORM, batchRunner, bind, buffer, destroyer, pipelines, readBack, seeded } from "./gpu.js";
import { words } from "./panel.js";

export const id = "serial_depth";
export const xName = "T"; // a symbol, the same in every language
export const claim = "A chain of T dependent steps takes time in proportion to T on any hardware, while a "
  + "parallel scan needs only about log2 T rounds, so its time grows far more slowly until the GPU is full.";
export const withoutGpu = words({
  en: "The claim is about a GPU, so it cannot be judged here; the JavaScript loop still "
    + "shows what a chain of dependent steps costs one CPU core.",
  zh: "这一论断针对的是 GPU，因此这里无法判定；不过 JavaScript 循环仍能显示，一条由相互依赖的步骤组成的链"
    + "在一个 CPU 核心上要花多少时间。",
});

const A = 0.99; // |a| < 1 keeps h bounded (about 1 / (1 - a) times the mean of x)
const TOLERANCE = 1e-3; // relative: the scan adds in another order than the loop, in float32

export function sizes(sweep) {
  return sweep === "reduced" ? [16, 64, 256] : [64, 256, 1024, 4096, 16384, 65536];
}

/** The same x for every variant at one T, and h computed by the plain loop in float32. */
function problem(T) {
  const x = seeded(T, 12345);
  const reference = new Float32Array(T);
  let h = 0;
  for (let t = 0; t < T; t++) {
    h = Math.fround(Math.fround(A * h) + x[t]);
    reference[t] = h;
  }
  return { x, reference };
}

function agrees(values, reference) {
  for (let t = 0; t < reference.length; t++) {
    if (!(Math.abs(values[t] - reference[t]) <= TOLERANCE * Math.max(1, Math.abs(reference[t])))) return false;
  }
  return true;
}

// ---- GPU plumbing ---------------------------------------------------------------------------------

export async function setup(device, wgslUrl) {
  const pipeline = await pipelines(device, wgslUrl);
  return { device, walk: pipeline("walk"), step: pipeline("step"), init: pipeline("scan_init"), round: pipeline("scan_round") };
}

function recurrenceUniform(device, T) {
  const bytes = new ArrayBuffer(16);
  new Float32Array(bytes, 0, 1)[0] = A;
  new Uint32Array(bytes, 4, 1)[0] = T;
  return buffer(device, new Uint8Array(bytes), UNIFORM());
}

// ---- the series -----------------------------------------------------------------------------------

export const series = [
  {
    name: "walk", label: words({ en: "one GPU thread, every step", zh: "一个 GPU 线程走完每一步" }), unit: "gpu",
    async prepare(k, T) {
      const { x, reference } = problem(T);
      const params = recurrenceUniform(k.device, T);
      const xs = buffer(k.device, x, STORAGE());
      const h = k.device.createBuffer({ size: 4 * T, usage: STORAGE() });
      const group = bind(k.device, k.walk, [params, xs, h]);
      const encode = (encoder) => {
        const pass = encoder.beginComputePass();
        pass.setPipeline(k.walk);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(1);
        pass.end();
      };
      return {
        runBatch: batchRunner(k.device, encode),
        verify: async () => agrees(await readBack(k.device, h, encode, T), reference),
        dispose: destroyer([params, xs, h]),
      };
    },
  },
  {
    name: "per_step", label: words({ en: "one dispatch per step", zh: "每步分派一次" }), unit: "gpu",
    maxX: (sweep) => (sweep === "reduced" ? 256 : 16384), // beyond this, a point takes seconds of launches
    async prepare(k, T) {
      const { x, reference } = problem(T);
      const params = recurrenceUniform(k.device, T);
      const xs = buffer(k.device, x, STORAGE());
      const h = k.device.createBuffer({ size: 4 * T, usage: STORAGE() });
      const counter = k.device.createBuffer({ size: 16, usage: STORAGE() });
      const group = bind(k.device, k.step, [params, xs, h, counter]);
      const encode = (encoder) => {
        encoder.clearBuffer(counter); // back to step 0
        const pass = encoder.beginComputePass();
        pass.setPipeline(k.step);
        pass.setBindGroup(0, group);
        for (let t = 0; t < T; t++) pass.dispatchWorkgroups(1);
        pass.end();
      };
      return {
        runBatch: batchRunner(k.device, encode),
        verify: async () => agrees(await readBack(k.device, h, encode, T), reference),
        dispose: destroyer([params, xs, h, counter]),
      };
    },
  },
  {
    name: "scan", label: words({ en: "parallel scan (Hillis–Steele)", zh: "并行扫描（Hillis–Steele）" }), unit: "gpu",
    async prepare(k, T) {
      const { x, reference } = problem(T);
      const params = recurrenceUniform(k.device, T);
      const xs = buffer(k.device, x, STORAGE());
      const pairs = [0, 1].map(() => k.device.createBuffer({ size: 8 * T, usage: STORAGE() }));
      const rounds = Math.ceil(Math.log2(T));
      const uniforms = Array.from({ length: rounds }, (_, r) => buffer(k.device, new Uint32Array([T, 2 ** r, 0, 0]), UNIFORM()));
      const initGroup = bind(k.device, k.init, [params, xs, pairs[0]]);
      const roundGroups = uniforms.map((u, r) => bind(k.device, k.round, [u, pairs[r % 2], pairs[(r + 1) % 2]]));
      const groups = Math.ceil(T / 64);
      const encode = (encoder) => {
        const pass = encoder.beginComputePass();
        pass.setPipeline(k.init);
        pass.setBindGroup(0, initGroup);
        pass.dispatchWorkgroups(groups);
        pass.setPipeline(k.round);
        for (const group of roundGroups) {
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(groups);
        }
        pass.end();
      };
      return {
        runBatch: batchRunner(k.device, encode),
        verify: async () => agrees(await readBack(k.device, pairs[rounds % 2], encode, T, 2, 1), reference),
        dispose: destroyer([params, xs, ...pairs, ...uniforms]),
      };
    },
  },
  {
    name: "cpu_loop", label: words({ en: "JavaScript loop, one CPU thread", zh: "JavaScript 循环，单个 CPU 线程" }),
    unit: "cpu",
    async prepare(_kernels, T) {
      const { x, reference } = problem(T);
      const h = new Float32Array(T);
      const loop = () => {
        let state = 0;
        for (let t = 0; t < T; t++) {
          state = A * state + x[t];
          h[t] = state;
        }
      };
      return {
        runBatch: async (repeats) => { for (let i = 0; i < repeats; i++) loop(); },
        verify: async () => { loop(); return agrees(h, reference); },
      };
    },
  },
];

// ---- the verdict ----------------------------------------------------------------------------------

/** The smallest T from which the scan beat the one-thread walk at every longer T, or null. */
function scanWinsFrom(measured) {
  const walk = measured.find((s) => s.name === "walk");
  const scan = measured.find((s) => s.name === "scan");
  if (!walk || !scan) return null;
  let from = null;
  for (const point of [...scan.points].reverse()) {
    const rival = walk.points.find((p) => p.x === point.x);
    if (!rival || point.ms >= rival.ms) break;
    from = point.x;
  }
  return from;
}

const LINEAR = 0.7; // a slope this high over the upper half of the sweep is growth in proportion to T
const GAP = 0.3; // the scan's slope must be at least this much below the walk's

export function judge(measured, slopes, stopped) {
  const crossover = scanWinsFrom(measured);
  const fmt = (s) => (s === null || s === undefined ? "—" : s.toFixed(2));
  if (slopes.walk === undefined || slopes.scan === undefined || slopes.walk === null || slopes.scan === null) {
    const cpu = fmt(slopes.cpu_loop);
    return {
      holds: null, crossover,
      text: stopped ? words({ en: "Not judged: the run was stopped before enough sizes were timed.",
        zh: "未判定：还没有计时足够多的规模，运行就被停止了。" })
        : words({
          en: `Not judged: the claim is about a GPU, and none ran here. The JavaScript loop grew with slope ${cpu} (1 is linear).`,
          zh: `未判定：这一论断针对的是 GPU，而这里没有 GPU 运行。JavaScript 循环的耗时以斜率 ${cpu} 增长（1 为线性）。`,
        }),
    };
  }
  const margin = slopes.walk - slopes.scan;
  const holds = slopes.walk >= LINEAR && margin >= GAP;
  const from = crossover?.toLocaleString("en");
  const wins = !crossover ? "" : words({ en: ` The scan was faster than the one-thread walk from T = ${from} on.`,
    zh: `从 T = ${from} 起，并行扫描都比单线程逐步计算更快。` });
  // Few parallel units (a software adapter, a small integrated GPU) run the scan's T log2 T combines
  // a few at a time, so its time grows like the walk's: lesson 5's case of work, not depth, deciding.
  const fewUnits = holds ? "" : words({
    en: " On a device with few parallel units the scan's extra work (about T log2 T "
      + "combines against the walk's T) shows as time, which is the case lesson 5 describes.",
    zh: "在并行单元很少的设备上，扫描多出的工作量（约 T log2 T 次合并，而逐步计算只需 T 次）会体现为耗时，"
      + "这正是第 5 课所描述的情形。",
  });
  return {
    holds, crossover,
    text: words({
      en: `${holds ? "Holds on your device" : "Does not hold on your device"}: one GPU thread walking the steps grew `
        + `with slope ${fmt(slopes.walk)} (1 is linear), the parallel scan with slope ${fmt(slopes.scan)}, a margin of `
        + `${fmt(margin)} (the claim needs the walk at ${LINEAR} or more and a margin of ${GAP} or more).${wins}${fewUnits}`,
      zh: `${holds ? "在你的设备上成立" : "在你的设备上不成立"}：一个 GPU 线程逐步计算的耗时以斜率 ${fmt(slopes.walk)} `
        + `增长（1 为线性），并行扫描的斜率为 ${fmt(slopes.scan)}，两者相差 ${fmt(margin)}（这一论断要求逐步计算的斜率`
        + `不低于 ${LINEAR}，且差值不低于 ${GAP}）。${wins}${fewUnits}`,
    }),
  };
}

/** The build's own measurement of a chain against a scan: serial_depth's torch loop and cumsum. */
export function buildSeries(data, device) {
  const asPoints = (points) => points.map((p) => ({ x: p.n, ms: p.median_s * 1000 }));
  return [
    { label: words({ en: `build: torch loop, one op per step (${device})`, zh: `本次构建：torch 循环，每步一个运算（${device}）` }),
      points: asPoints(data.torch_loop) },
    { label: words({ en: `build: torch.cumsum (${device})`, zh: `本次构建：torch.cumsum（${device}）` }),
      points: asPoints(data.torch_scan) },
  ];
}
