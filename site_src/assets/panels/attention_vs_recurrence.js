// Lesson 3's panel: the price of attention on the reader's GPU. Attention over T positions at width
// D (quadratic work, all of it parallel) against a recurrence of T dependent D x D steps (linear work,
// a chain), over T (kernels in attention_vs_recurrence.wgsl), beside the recurrence in JavaScript.

import { STORAGE, UNIFORM, batchRunner, bind, buffer, computePass, destroyer, pipelines, readBack, seeded } from "./gpu.js";
import { words } from "./panel.js";

export const id = "attention_vs_recurrence";
export const xName = "T"; // a symbol, the same in every language
export const claim = "Attention's work grows as T² and a recurrence's as T, but attention spreads its work across "
  + "the GPU while the recurrence waits on every step, so on parallel hardware the quadratic term overtakes the "
  + "chain only at long sequences.";
export const withoutGpu = words({
  en: "The claim is about parallel hardware, so it cannot be judged here; the JavaScript "
    + "recurrence still shows a chain's linear growth on one CPU core.",
  zh: "这一论断针对的是并行硬件，因此这里无法判定；不过 JavaScript 循环仍能显示一条链在一个 CPU 核心上的线性增长。",
});

const D = 64; // must match the WGSL's D
const TOLERANCE = 2e-3; // float32, and the GPU sums in another order than JavaScript
const CHECKED_ROWS = 4; // attention rows recomputed in JavaScript: a full T x T reference would take seconds

export function sizes(sweep) {
  return sweep === "reduced" ? [16, 32, 64] : [64, 128, 256, 512, 1024, 2048, 4096];
}

function inputs(T) {
  // x in [-1, 1); W small enough (|row sums| < 1) that tanh stays away from saturation.
  return { x: seeded(T * D, 7, -1, 1), w: seeded(D * D, 11, -1 / D, 1 / D) };
}

function close(got, want) {
  return Math.abs(got - want) <= TOLERANCE * Math.max(1, Math.abs(want));
}

/** Attention's output row i in JavaScript (float64, which is the better reference). */
function attentionRow(x, T, i) {
  const scores = new Float64Array(T);
  let largest = -Infinity;
  for (let j = 0; j < T; j++) {
    let dot = 0;
    for (let k = 0; k < D; k++) dot += x[i * D + k] * x[j * D + k];
    scores[j] = dot / Math.sqrt(D);
    largest = Math.max(largest, scores[j]);
  }
  let total = 0;
  for (let j = 0; j < T; j++) total += (scores[j] = Math.exp(scores[j] - largest));
  const row = new Float64Array(D);
  for (let j = 0; j < T; j++) for (let c = 0; c < D; c++) row[c] += (scores[j] / total) * x[j * D + c];
  return row;
}

/** The recurrence h[t] = tanh(W h[t-1] + x[t]) in JavaScript; returns every h, (T, D). */
function recurrence(x, w, T, out = new Float32Array(T * D)) {
  let state = new Float32Array(D);
  let next = new Float32Array(D);
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < D; r++) {
      let acc = x[t * D + r];
      for (let k = 0; k < D; k++) acc += w[r * D + k] * state[k];
      next[r] = Math.tanh(acc);
    }
    [state, next] = [next, state];
    out.set(state, t * D);
  }
  return out;
}

function shapeUniform(device, T) {
  const bytes = new ArrayBuffer(16);
  new Uint32Array(bytes, 0, 1)[0] = T;
  new Float32Array(bytes, 4, 1)[0] = 1 / Math.sqrt(D);
  return buffer(device, new Uint8Array(bytes), UNIFORM());
}

export async function setup(device, wgslUrl) {
  const pipeline = await pipelines(device, wgslUrl);
  return { device, scores: pipeline("attention_scores"), softmax: pipeline("softmax_rows"),
    mix: pipeline("attention_mix"), chain: pipeline("recurrence") };
}

export const series = [
  {
    name: "attention", label: words({ en: "attention: scores, softmax, weighted sum", zh: "注意力：分数、softmax、加权求和" }),
    unit: "gpu",
    async prepare(k, T) {
      const { x } = inputs(T);
      const shape = shapeUniform(k.device, T);
      const xs = buffer(k.device, x, STORAGE());
      const scores = k.device.createBuffer({ size: 4 * T * T, usage: STORAGE() });
      const out = k.device.createBuffer({ size: 4 * T * D, usage: STORAGE() });
      const steps = [
        [k.scores, bind(k.device, k.scores, [shape, xs, scores]), Math.ceil(T / 8), Math.ceil(T / 8)],
        [k.softmax, bind(k.device, k.softmax, [shape, scores]), T],
        [k.mix, bind(k.device, k.mix, [shape, scores, xs, out]), Math.ceil((T * D) / 64)],
      ];
      const encode = (encoder) => computePass(encoder, steps);
      return {
        runBatch: batchRunner(k.device, encode),
        async verify() {
          const got = await readBack(k.device, out, encode, T * D);
          const rows = [...new Set(Array.from({ length: CHECKED_ROWS }, (_, n) => Math.floor((n * (T - 1)) / (CHECKED_ROWS - 1))))];
          return rows.every((i) => attentionRow(x, T, i).every((want, c) => close(got[i * D + c], want)));
        },
        dispose: destroyer([shape, xs, scores, out]),
      };
    },
  },
  {
    name: "recurrence", label: words({ en: "recurrence: T dependent steps, one workgroup",
      zh: "循环：T 个相互依赖的步骤，一个工作组" }), unit: "gpu",
    async prepare(k, T) {
      const { x, w } = inputs(T);
      const shape = shapeUniform(k.device, T);
      const ws = buffer(k.device, w, STORAGE());
      const xs = buffer(k.device, x, STORAGE());
      const h = k.device.createBuffer({ size: 4 * T * D, usage: STORAGE() });
      const steps = [[k.chain, bind(k.device, k.chain, [shape, ws, xs, h]), 1]];
      const encode = (encoder) => computePass(encoder, steps);
      return {
        runBatch: batchRunner(k.device, encode),
        async verify() {
          const got = await readBack(k.device, h, encode, T * D);
          const want = recurrence(x, w, T);
          return want.every((value, i) => close(got[i], value));
        },
        dispose: destroyer([shape, ws, xs, h]),
      };
    },
  },
  {
    name: "cpu_recurrence", label: words({ en: "recurrence in JavaScript, one CPU thread",
      zh: "JavaScript 中的循环，单个 CPU 线程" }), unit: "cpu",
    async prepare(_kernels, T) {
      const { x, w } = inputs(T);
      const out = new Float32Array(T * D);
      const want = recurrence(x, w, T);
      return {
        runBatch: async (repeats) => { for (let i = 0; i < repeats; i++) recurrence(x, w, T, out); },
        verify: async () => recurrence(x, w, T, out).every((value, i) => value === want[i]),
      };
    },
  },
];

/** The smallest T from which attention was slower than the recurrence at every longer T, or null. */
function attentionSlowerFrom(measured) {
  const attention = measured.find((s) => s.name === "attention");
  const chain = measured.find((s) => s.name === "recurrence");
  if (!attention || !chain) return null;
  let from = null;
  for (const point of [...attention.points].reverse()) {
    const rival = chain.points.find((p) => p.x === point.x);
    if (!rival || point.ms <= rival.ms) break;
    from = point.x;
  }
  return from;
}

const GAP = 0.4; // attention's slope must exceed the recurrence's by this much: T² against T shows as ~1

export function judge(measured, slopes, stopped) {
  const crossover = attentionSlowerFrom(measured);
  const fmt = (s) => (s === null || s === undefined ? "—" : s.toFixed(2));
  if (slopes.attention == null || slopes.recurrence == null) {
    return {
      holds: null, crossover,
      text: stopped ? words({ en: "Not judged: the run was stopped before enough sizes were timed.",
        zh: "未判定：还没有计时足够多的规模，运行就被停止了。" })
        : words({
          en: "Not judged: the claim is about a GPU, and none ran here. The JavaScript recurrence grew with slope "
            + `${fmt(slopes.cpu_recurrence)} (1 is linear).`,
          zh: "未判定：这一论断针对的是 GPU，而这里没有 GPU 运行。JavaScript 循环的耗时以斜率 "
            + `${fmt(slopes.cpu_recurrence)} 增长（1 为线性）。`,
        }),
    };
  }
  const margin = slopes.attention - slopes.recurrence;
  const holds = margin >= GAP;
  const attention = measured.find((s) => s.name === "attention");
  const largest = attention.points[attention.points.length - 1].x.toLocaleString("en");
  const from = crossover?.toLocaleString("en");
  const where = crossover
    ? words({ en: `attention became the slower from T = ${from} on`, zh: `从 T = ${from} 起，注意力成了较慢的一方` })
    : words({ en: `attention stayed the faster up to T = ${largest}, the longest timed`,
      zh: `直到计时的最大长度 T = ${largest}，注意力始终更快` });
  return {
    holds, crossover,
    text: words({
      en: `${holds ? "Holds on your device" : "Does not hold on your device"}: attention's time grew with slope `
        + `${fmt(slopes.attention)} (2 is quadratic), the recurrence's with ${fmt(slopes.recurrence)} (1 is linear), `
        + `a margin of ${fmt(margin)} (the claim needs ${GAP} or more); ${where}.`,
      zh: `${holds ? "在你的设备上成立" : "在你的设备上不成立"}：注意力的耗时以斜率 ${fmt(slopes.attention)} 增长`
        + `（2 为平方级），循环的斜率为 ${fmt(slopes.recurrence)}（1 为线性），两者相差 ${fmt(margin)}`
        + `（这一论断要求差值不低于 ${GAP}）；${where}。`,
    }),
  };
}

/** The build's own measurement of the same pair: latency_vs_length's attention core and LSTM, forward. */
export function buildSeries(data, device) {
  const forward = (name) => (data.series.find((s) => s.name === name)?.points || [])
    .filter((p) => p.forward && p.forward.median_s).map((p) => ({ x: p.length, ms: p.forward.median_s * 1000 }));
  return [
    { label: words({ en: `build: attention core, forward, width ${data.width} (${device})`,
      zh: `本次构建：注意力核心，前向，宽度 ${data.width}（${device}）` }), points: forward("attention_core") },
    { label: words({ en: `build: LSTM, forward, width ${data.width} (${device})`,
      zh: `本次构建：LSTM，前向，宽度 ${data.width}（${device}）` }), points: forward("lstm") },
  ];
}
