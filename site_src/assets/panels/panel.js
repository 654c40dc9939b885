// "Measure it on your device": the harness every panel shares. Loaded only when a reader presses a
// panel's Start button (loader.js), so it costs a page nothing until then.
//
// A panel module (serial_depth.js, ...) says what to run; this file runs it: WebGPU set-up, timing in
// batches long enough for the browser's coarse clock, checking every kernel's output against a CPU
// reference before its time counts, fitting slopes, judging the lesson's claim on the reader's data,
// and showing the result as a chart, a table and a sentence, with a JSON download of all of it.

const MIN_BATCH_MS = 10; // browsers round performance.now() to 0.1 ms or coarser: a batch must dwarf that
const BATCHES = 5; // the median of five batches is what a point reports
const MAX_REPEATS = 1 << 14; // a call so fast that this many do not fill a batch is timed as it is
const MAX_SPAN = 64; // how much longer a batch may grow when the clock saw none of it
// A series whose call took longer than this stops there: its next size would take several times as
// long (a software adapter runs attention at T = 4,096 for seconds a call), and the slope is read anyway.
const SLOW_CALL_MS = 400;

// ---- words ----------------------------------------------------------------------------------------

// The page's language: Material writes the build's theme.language into <html lang>, "zh" on the pages
// under /zh/. Node, which imports the modules in the tests, has no document and gets English.
export const LANGUAGE = (globalThis.document?.documentElement.lang ?? "").startsWith("zh") ? "zh" : "en";

/** The one of `choices` ({en: ..., zh: ...}) in the page's language. Every text a reader sees or hears
 *  comes from here, harness and modules alike; a text missing in one language throws rather than
 *  showing another language's. Numbers stay toLocaleString("en") in both: the site writes 65,536. */
export function words(choices) {
  if (!(LANGUAGE in choices)) throw new Error(`no ${LANGUAGE} text among ${JSON.stringify(Object.keys(choices))}`);
  return choices[LANGUAGE];
}

// The harness's own words (exported for the tests, which check both languages have every one).
// English is also the language of the issue a reader shares (shareLink): it goes to the project's
// tracker, whose maintainers read English.
export const WORDS = {
  en: {
    stopping: "Stopping after the current point…",
    noWebgpu: (why) => `Your browser has no WebGPU (${why}), so only the CPU part runs here. `,
    noGpuApi: "navigator.gpu is missing",
    noAdapter: "no adapter was offered",
    timing: (label, x) => `Timing ${label} at ${x}…`,
    wrongAt: (label, x) => `${label} gave a wrong result at ${x}`,
    wrong: (what) => `Wrong result: ${what}, so no time is shown. Your browser's WebGPU may be faulty here.`,
    runAgain: "Run again",
    coarseClock: "this browser's clock is too coarse to time the call",
    buildDevice: "the build's device",
    noWebgpuAdapter: "no WebGPU",
    unnamedAdapter: "an unnamed adapter",
    softwareFallback: " (software fallback)",
    about: (where, date, resolution) => `Measured in your browser on ${where}, ${date}; clock resolution `
      + `${resolution} ms, each point the median of batches of at least `
      + `${MIN_BATCH_MS} ms. Every kernel's output was checked against the same computation in JavaScript first.`,
    download: "Download my results (JSON)",
    share: "Share (opens a new issue with this JSON)",
    tableCaption: (xName) => `Milliseconds per call at each ${xName}, measured in this browser`,
    chartLabel: (xName, labels) => `Log-log chart of time per call against ${xName}: ${labels}`,
    chartBuild: (labels) => `, beside the build's own measurement (${labels})`,
    listSeparator: ", ",
    yours: (where) => ` (your ${where})`,
    yourCpu: "CPU, one thread",
    chartCaption: "Time per call on your device (solid) and, where the build measured the same quantity, the "
      + "build's own measurement (dashed), on log-log axes: a slope of 1 is linear growth.",
  },
  zh: {
    stopping: "测完当前这个点后停止……",
    noWebgpu: (why) => `你的浏览器没有 WebGPU（${why}），因此这里只运行 CPU 部分。`,
    noGpuApi: "缺少 navigator.gpu",
    noAdapter: "浏览器没有提供适配器",
    timing: (label, x) => `正在计时：${label}（${x}）……`,
    wrongAt: (label, x) => `“${label}”在 ${x} 时给出了错误的结果`,
    wrong: (what) => `结果错误：${what}，因此不显示任何耗时。你的浏览器的 WebGPU 在这里可能有缺陷。`,
    runAgain: "再运行一次",
    coarseClock: "本浏览器的时钟太粗，无法为这次调用计时",
    buildDevice: "构建所用的设备",
    noWebgpuAdapter: "没有 WebGPU",
    unnamedAdapter: "一个未具名的适配器",
    softwareFallback: "，软件回退",
    about: (where, date, resolution) => `在你的浏览器中测量（${where}，${date}）；时钟分辨率为 `
      + `${resolution} ms，每个点取若干批次的中位数，每批至少 ${MIN_BATCH_MS} ms。`
      + "每个内核的输出都已先与 JavaScript 中的同一计算核对过。",
    download: "下载我的结果（JSON）",
    share: "分享（新建一个附有这份 JSON 的 issue）",
    tableCaption: (xName) => `在本浏览器中测得的每次调用耗时（毫秒），按 ${xName} 列出`,
    chartLabel: (xName, labels) => `每次调用耗时对 ${xName} 的双对数坐标图：${labels}`,
    chartBuild: (labels) => `。旁边还有本次构建自己的测量：${labels}`,
    listSeparator: "；",
    yours: (where) => `（你的 ${where}）`,
    yourCpu: "CPU，单线程",
    chartCaption: "你的设备上的每次调用耗时（实线），以及本次构建对同一个量的测量（虚线，仅在构建测过时显示），"
      + "采用双对数坐标：斜率为 1 即线性增长。",
  },
};
const SAY = words(WORDS);

// ---- timing -------------------------------------------------------------------------------------

/** Smallest step of performance.now() seen in a tight loop: the clock resolution this page gets. */
export function timerResolution() {
  let smallest = Infinity;
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    let now = start;
    while (now === start) now = performance.now();
    smallest = Math.min(smallest, now - start);
  }
  return smallest;
}

/**
 * Milliseconds per call of runBatch(k), which must run k calls and resolve when they have finished
 * (for the GPU: after queue.onSubmittedWorkDone). k doubles until a batch lasts MIN_BATCH_MS, then
 * BATCHES batches of k are timed and the median kept.
 */
export async function timePerCall(runBatch) {
  await runBatch(3); // warm-up: a first dispatch may still compile or allocate, which is not the call's cost
  let repeats = 1;
  let elapsed = await timed(runBatch, repeats);
  while (elapsed < MIN_BATCH_MS && repeats < MAX_REPEATS) {
    repeats = Math.min(MAX_REPEATS, repeats * Math.max(2, Math.ceil(MIN_BATCH_MS / Math.max(elapsed, 0.05))));
    elapsed = await timed(runBatch, repeats);
  }
  const batches = elapsed > 20 * MIN_BATCH_MS ? 3 : BATCHES; // slow points: fewer batches, same median idea
  let times = [];
  // A batch that the clock cannot see (0 ms: a coarse clock, a busy machine that let a fast call slip
  // under it) says nothing; such batches are timed again with twice the calls, up to MAX_SPAN times.
  for (let span = 1; span <= MAX_SPAN; span *= 2) {
    times = [];
    for (let i = 0; i < batches; i++) times.push((await timed(runBatch, repeats * span)) / (repeats * span));
    if (times.every((t) => t > 0)) break;
  }
  times.sort((p, q) => p - q);
  const ms = times[Math.floor(times.length / 2)];
  if (!(ms > 0)) throw new Error(SAY.coarseClock);
  return { ms, batches };
}

async function timed(runBatch, repeats) {
  const start = performance.now();
  await runBatch(repeats);
  return performance.now() - start;
}

// ---- reading the data -----------------------------------------------------------------------------

/** Least-squares slope of log(ms) against log(x) over the upper half of the sweep's decades, where
 *  fixed costs matter least (as gen/analysis.py reads the build's own data). */
export function upperSlope(points) {
  const usable = points.filter((p) => p.ms > 0);
  if (usable.length < 2) return null;
  const logs = usable.map((p) => Math.log10(p.x));
  const cut = Math.max(...logs) - 0.5 * (Math.max(...logs) - Math.min(...logs));
  const upper = usable.filter((p, i) => logs[i] >= cut - 1e-9);
  if (upper.length < 2) return null;
  const xs = upper.map((p) => Math.log(p.x));
  const ys = upper.map((p) => Math.log(p.ms));
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

// ---- provenance -----------------------------------------------------------------------------------

async function adapterDescription(adapter) {
  if (!adapter) return null;
  const info = adapter.info || (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  return {
    vendor: String(info.vendor || ""), architecture: String(info.architecture || ""),
    description: String(info.description || ""), device: String(info.device || ""),
    is_fallback: Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter),
  };
}

function adapterText(adapter, say = SAY) {
  if (!adapter) return say.noWebgpuAdapter;
  const parts = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean);
  return (parts.join(" / ") || say.unnamedAdapter) + (adapter.is_fallback ? say.softwareFallback : "");
}

// ---- the run --------------------------------------------------------------------------------------

/** Run the panel in `root` (the element site_src/hooks/panels.py wrote) with its module `panel`. */
export async function run(root, panel) {
  const ui = elements(root);
  const sweep = new URLSearchParams(location.search).get("panel-sweep") === "reduced" ? "reduced" : "full";
  const stop = { requested: false };
  ui.stop.hidden = false;
  ui.stop.onclick = () => { stop.requested = true; announce(ui, SAY.stopping); };
  ui.start.disabled = true;
  ui.results.replaceChildren();
  delete ui.status.dataset.holds;

  const gpu = await openGpu();
  const resolution = timerResolution();
  const device = {
    webgpu: Boolean(gpu.device), adapter: await adapterDescription(gpu.adapter),
    user_agent: navigator.userAgent, timer_resolution_ms: resolution,
    cross_origin_isolated: Boolean(globalThis.crossOriginIsolated),
  };
  if (!gpu.device) {
    ui.fallback.hidden = false;
    ui.fallback.textContent = SAY.noWebgpu(gpu.why) + panel.withoutGpu;
  }
  const kernels = gpu.device ? await panel.setup(gpu.device, root.dataset.wgsl) : null;
  const plan = panel.series.filter((s) => s.unit === "cpu" || gpu.device);
  const sizes = panel.sizes(sweep);
  const series = plan.map((s) => ({ name: s.name, label: s.label, unit: s.unit, points: [] }));
  const total = plan.reduce((n, s) => n + sizes.filter((x) => x <= (s.maxX?.(sweep) ?? Infinity)).length, 0);
  let done = 0;
  ui.progress.max = total;
  let wrong = null;
  const capped = new Set(); // series stopped early because a call had grown slow
  for (const x of sizes) {
    for (const [index, spec] of plan.entries()) {
      if (stop.requested || wrong) break;
      if (x > (spec.maxX?.(sweep) ?? Infinity)) continue;
      if (capped.has(spec.name)) {
        ui.progress.value = ++done;
        continue;
      }
      const at = `${panel.xName} = ${x.toLocaleString("en")}`;
      announce(ui, SAY.timing(spec.label, at));
      const job = await spec.prepare(kernels, x, gpu.device);
      try {
        const verified = await job.verify();
        if (!verified) {
          wrong = SAY.wrongAt(spec.label, at);
          break;
        }
        const { ms, batches } = await timePerCall(job.runBatch);
        series[index].points.push({ x, ms, batches, verified });
        if (ms > SLOW_CALL_MS) capped.add(spec.name);
      } finally {
        job.dispose?.();
      }
      ui.progress.value = ++done;
    }
  }
  ui.stop.hidden = true;
  ui.start.disabled = false;
  ui.start.textContent = SAY.runAgain;
  if (wrong) {
    announce(ui, SAY.wrong(wrong));
    root.dataset.state = "wrong";
    return null;
  }
  const measured = series.filter((s) => s.points.length);
  const slopes = Object.fromEntries(measured.map((s) => [s.name, upperSlope(s.points)]));
  const verdict = panel.judge(measured, slopes, stop.requested);
  const result = {
    schema: "rva-device-result/1", panel: panel.id, claim: panel.claim,
    measured_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"), sweep, device, series: measured, slopes,
    crossover: verdict.crossover ?? null, verdict: { holds: verdict.holds, text: verdict.text },
  };
  const build = await buildSeries(root, panel);
  show(root, ui, panel, result, build);
  root.dataset.state = "done";
  return result;
}

async function openGpu() {
  if (!navigator.gpu) return { why: SAY.noGpuApi };
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { why: SAY.noAdapter };
    return { adapter, device: await adapter.requestDevice() };
  } catch (error) {
    return { why: String(error.message || error) };
  }
}

/** The build's own measurement of the same quantity, from the data file the site publishes. */
async function buildSeries(root, panel) {
  const url = root.dataset.buildData;
  if (!url) return [];
  try {
    const response = await fetch(url);
    return panel.buildSeries((await response.json()).data, root.dataset.buildDevice || SAY.buildDevice);
  } catch {
    return [];
  }
}

// ---- showing it -----------------------------------------------------------------------------------

function elements(root) {
  const pick = (role) => root.querySelector(`[data-role="${role}"]`);
  return {
    start: pick("start"), stop: pick("stop"), progress: pick("progress"), status: pick("status"),
    results: pick("results"), fallback: pick("fallback"),
  };
}

function announce(ui, text) {
  ui.status.textContent = text;
}

function show(root, ui, panel, result, build) {
  const where = adapterText(result.device.adapter);
  announce(ui, result.verdict.text); // the live region states the verdict, so it is read out as well as shown
  ui.status.dataset.holds = String(result.verdict.holds);
  const chart = chartElement(panel, result.series, build, where);
  const table = tableElement(panel, result.series);
  const about = document.createElement("p");
  about.className = "rva-panel__about";
  about.textContent = SAY.about(where, result.measured_at.slice(0, 10), result.device.timer_resolution_ms.toFixed(3));
  const actions = document.createElement("p");
  actions.className = "rva-panel__actions";
  actions.append(downloadLink(result));
  if (root.dataset.repo) actions.append(" ", shareLink(root.dataset.repo, result));
  ui.results.replaceChildren(chart, table, about, actions);
  root.rvaResult = result; // for the tests, and for a reader poking at it in the console
}

function downloadLink(result) {
  const link = document.createElement("a");
  link.textContent = SAY.download;
  link.download = `rva-${result.panel}-${result.measured_at.slice(0, 10)}.json`;
  link.href = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2)], { type: "application/json" }));
  link.dataset.role = "download";
  return link;
}

function shareLink(repo, result) {
  const link = document.createElement("a");
  const body = "Measured with a panel of the site. Check it with `python -m gen import-device FILE`.\n\n```json\n"
    + `${JSON.stringify(result, null, 2)}\n\`\`\``;
  const title = `Device result: ${result.panel} on ${adapterText(result.device.adapter, WORDS.en)}`;
  link.href = `${repo.replace(/\/$/, "")}/issues/new?title=${encodeURIComponent(title)}&body=${encodeURIComponent(body)}`;
  link.textContent = SAY.share;
  link.rel = "noopener";
  return link;
}

function tableElement(panel, series) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((p, q) => p - q);
  const table = document.createElement("table");
  table.className = "rva-panel__table";
  const caption = table.createCaption();
  caption.textContent = SAY.tableCaption(panel.xName);
  const head = table.createTHead().insertRow();
  const extra = panel.columns || []; // quantities computed from x alone, e.g. the cache's bytes
  for (const text of [panel.xName, ...extra.map((c) => c.label), ...series.map((s) => s.label)]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const x of xs) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = x.toLocaleString("en");
    row.append(th);
    for (const column of extra) row.insertCell().textContent = column.text(x);
    for (const s of series) {
      const point = s.points.find((p) => p.x === x);
      row.insertCell().textContent = point ? formatMs(point.ms) : "—";
    }
  }
  return table;
}

function formatMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toPrecision(3) : ms.toPrecision(2);
}

// A log-log chart drawn as SVG by hand: a few dozen points need no charting library.
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const HEIGHT = 340;
const MARGIN = { left: 64, right: 16, top: 16, bottom: 44 };

function chartElement(panel, series, build, where) {
  const all = [...series, ...build].flatMap((s) => s.points).filter((p) => p.ms > 0);
  const figure = document.createElement("figure");
  figure.className = "rva-panel__chart";
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("role", "img");
  const labels = (list) => list.map((s) => s.label).join(SAY.listSeparator);
  svg.setAttribute("aria-label", SAY.chartLabel(panel.xName, labels(series))
    + (build.length ? SAY.chartBuild(labels(build)) : ""));
  const [x0, x1] = decades(all.map((p) => p.x));
  const [y0, y1] = decades(all.map((p) => p.ms));
  const px = (x) => MARGIN.left + (Math.log10(x) - x0) / (x1 - x0) * (WIDTH - MARGIN.left - MARGIN.right);
  const py = (y) => HEIGHT - MARGIN.bottom - (Math.log10(y) - y0) / (y1 - y0) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  for (let d = Math.ceil(x0); d <= x1; d++) axisLine(svg, px(10 ** d), MARGIN.top, px(10 ** d), HEIGHT - MARGIN.bottom, tick(10 ** d), "x");
  for (let d = Math.ceil(y0); d <= y1; d++) axisLine(svg, MARGIN.left, py(10 ** d), WIDTH - MARGIN.right, py(10 ** d), `${tick(10 ** d)} ms`, "y");
  label(svg, WIDTH / 2, HEIGHT - 6, panel.xName, "middle");
  const drawn = [...series.map((s, i) => ({ ...s, look: `series-${i}` })),
    ...build.map((s, i) => ({ ...s, look: `build-${i}` }))];
  for (const s of drawn) {
    const pts = s.points.filter((p) => p.ms > 0);
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", pts.map((p) => `${px(p.x).toFixed(1)},${py(p.ms).toFixed(1)}`).join(" "));
    line.setAttribute("class", `rva-chart__line rva-chart__${s.look}`);
    svg.append(line);
    for (const p of pts) {
      const dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", px(p.x).toFixed(1));
      dot.setAttribute("cy", py(p.ms).toFixed(1));
      dot.setAttribute("r", "3.5");
      dot.setAttribute("class", `rva-chart__dot rva-chart__${s.look}`);
      svg.append(dot);
    }
  }
  const legend = document.createElement("ul");
  legend.className = "rva-chart__legend";
  for (const s of drawn) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `rva-chart__swatch rva-chart__${s.look}`;
    swatch.textContent = s.look.startsWith("series") ? "● " : "- - ";
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, s.label + (s.look.startsWith("series") ? SAY.yours(s.unit === "gpu" ? where : SAY.yourCpu) : ""));
    legend.append(item);
  }
  const caption = document.createElement("figcaption");
  caption.textContent = SAY.chartCaption;
  figure.append(svg, legend, caption);
  return figure;
}

function decades(values) {
  const logs = values.map(Math.log10);
  const low = Math.floor(Math.min(...logs));
  const high = Math.ceil(Math.max(...logs));
  return [low, high > low ? high : low + 1];
}

function tick(value) {
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return String(Number(value.toPrecision(1)));
}

function axisLine(svg, xa, ya, xb, yb, text, axis) {
  const line = document.createElementNS(SVG, "line");
  for (const [k, v] of Object.entries({ x1: xa, y1: ya, x2: xb, y2: yb })) line.setAttribute(k, v.toFixed(1));
  line.setAttribute("class", "rva-chart__grid");
  svg.append(line);
  if (axis === "x") label(svg, xa, HEIGHT - MARGIN.bottom + 16, text, "middle");
  else label(svg, MARGIN.left - 6, ya + 4, text, "end");
}

function label(svg, x, y, text, anchor) {
  const node = document.createElementNS(SVG, "text");
  node.setAttribute("x", x.toFixed(1));
  node.setAttribute("y", y.toFixed(1));
  node.setAttribute("text-anchor", anchor);
  node.setAttribute("class", "rva-chart__label");
  node.textContent = text;
  svg.append(node);
}
