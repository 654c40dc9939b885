// Lesson 2's panel: serial depth on the reader's GPU. The recurrence h[t] = a * h[t-1] + x[t] over T
// steps, three ways (kernels in serial_depth.wgsl): one GPU thread walking every step (depth T), one
// dispatch per step (a naive RNN: a launch per step), and a Hillis-Steele parallel scan (depth about
// log2 T), beside the same loop in JavaScript on one CPU thread.

import { STORAGE, UNIFORM, batchRunner, bind, buffer, destroyer, pipelines, readBack, seeded } from "./gpu.js";

export const id = "serial_depth";
export const xName = "T";
export const claim = "A chain of T dependent steps takes time in proportion to T on any hardware, while a "
  + "parallel scan needs only about log2 T rounds, so its time grows far more slowly until the GPU is full.";
export const withoutGpu = "The claim is about a GPU, so it cannot be judged here; the JavaScript loop still "
  + "shows what a chain of dependent steps costs one CPU core.";

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
    name: "walk", label: "one GPU thread, every step", unit: "gpu",
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
    name: "per_step", label: "one dispatch per step", unit: "gpu",
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
    name: "scan", label: "parallel scan (Hillis–Steele)", unit: "gpu",
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
    name: "cpu_loop", label: "JavaScript loop, one CPU thread", unit: "cpu",
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
      text: stopped ? "Not judged: the run was stopped before enough sizes were timed."
        : `Not judged: the claim is about a GPU, and none ran here. The JavaScript loop grew with slope ${cpu} (1 is linear).`,
    };
  }
  const margin = slopes.walk - slopes.scan;
  const holds = slopes.walk >= LINEAR && margin >= GAP;
  const wins = crossover ? ` The scan was faster than the one-thread walk from T = ${crossover.toLocaleString("en")} on.` : "";
  // Few parallel units (a software adapter, a small integrated GPU) run the scan's T log2 T combines
  // a few at a time, so its time grows like the walk's: lesson 5's case of work, not depth, deciding.
  const fewUnits = holds ? "" : " On a device with few parallel units the scan's extra work (about T log2 T "
    + "combines against the walk's T) shows as time, which is the case lesson 5 describes.";
  return {
    holds, crossover,
    text: `${holds ? "Holds on your device" : "Does not hold on your device"}: one GPU thread walking the steps grew `
      + `with slope ${fmt(slopes.walk)} (1 is linear), the parallel scan with slope ${fmt(slopes.scan)}, a margin of `
      + `${fmt(margin)} (the claim needs the walk at ${LINEAR} or more and a margin of ${GAP} or more).${wins}${fewUnits}`,
  };
}

/** The build's own measurement of a chain against a scan: serial_depth's torch loop and cumsum. */
export function buildSeries(data, device) {
  const asPoints = (points) => points.map((p) => ({ x: p.n, ms: p.median_s * 1000 }));
  return [
    { label: `build: torch loop, one op per step (${device})`, points: asPoints(data.torch_loop) },
    { label: `build: torch.cumsum (${device})`, points: asPoints(data.torch_scan) },
  ];
}
