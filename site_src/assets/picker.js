// The architecture picker's form (lesson 6), evaluated in the browser.
// The rules are gen/picker/rules.yaml, which site_src/hooks/picker.py writes into the page as JSON;
// this file is the JavaScript twin of gen/picker/engine.py and gen/picker/formula.py, step for step,
// so the page and `python -m gen pick` give the same answer (tests/browser/test_picker.py checks it).
// Nothing is fetched: the page works from a file and without a server.

// ---- formulas: numbers, names, + - * /, parentheses, min, max, ceil ----------------------------------

const PICKER_FUNCTIONS = { min: Math.min, max: Math.max, ceil: Math.ceil };

function pickerParse(text) {
  const tokens = text.match(/\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*\/(),]|\S/g) || [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected) throw new Error(`'${text}': expected ${expected}`);
    return token;
  };
  function sum() {
    let node = product();
    while (peek() === "+" || peek() === "-") node = { op: take(), left: node, right: product() };
    return node;
  }
  function product() {
    let node = unary();
    while (peek() === "*" || peek() === "/") node = { op: take(), left: node, right: unary() };
    return node;
  }
  function unary() {
    if (peek() === "-") { take(); return { op: "neg", operand: unary() }; }
    if (peek() === "+") { take(); return unary(); }
    return atom();
  }
  function atom() {
    const token = take();
    if (token === "(") { const node = sum(); take(")"); return node; }
    if (/^[\d.]/.test(token || "")) return { number: Number(token) };
    if (/^[A-Za-z_]/.test(token || "")) {
      if (peek() !== "(") return { name: token };
      take("(");
      const args = [sum()];
      while (peek() === ",") { take(); args.push(sum()); }
      take(")");
      return { call: token, args };
    }
    throw new Error(`'${text}' is not a formula`);
  }
  const tree = sum();
  if (at !== tokens.length) throw new Error(`'${text}' is not a formula`);
  return tree;
}

function pickerEvaluate(node, env) {
  if ("number" in node) return node.number;
  if ("name" in node) return Number(env[node.name]);  // true and false count as 1 and 0
  if (node.op === "neg") return -pickerEvaluate(node.operand, env);
  if ("call" in node) return PICKER_FUNCTIONS[node.call](...node.args.map((arg) => pickerEvaluate(arg, env)));
  const left = pickerEvaluate(node.left, env);
  const right = pickerEvaluate(node.right, env);
  if (node.op === "+") return left + right;
  if (node.op === "-") return left - right;
  if (node.op === "*") return left * right;
  if (right === 0) throw new Error("division by zero");
  return left / right;
}

// ---- writing quantities (the same text as formula.py's write) ----------------------------------------

function pickerFixed(x, digits) {
  const sign = x < 0 ? "-" : "";
  const scale = Math.pow(10, digits);
  const n = Math.floor(Math.abs(x) * scale + 0.5);
  const whole = Math.floor(n / scale);
  const frac = n - whole * scale;
  const text = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + (digits ? `${text}.${String(frac).padStart(digits, "0")}` : text);
}

function pickerSci(x) {
  if (x === 0 || (Math.abs(x) >= 0.01 && Math.abs(x) < 1000)) {
    return x === Math.floor(x) ? pickerFixed(x, 0) : pickerFixed(x, 2);
  }
  let exponent = 0;
  let mantissa = Math.abs(x);
  while (mantissa >= 10) { mantissa /= 10; exponent += 1; }
  while (mantissa < 1) { mantissa *= 10; exponent -= 1; }
  let n = Math.floor(mantissa * 100 + 0.5);
  if (n >= 1000) { n = 100; exponent += 1; }
  const power = String(exponent).replace(/[-0-9]/g, (c) => "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"["-0123456789".indexOf(c)]);
  return `${x < 0 ? "-" : ""}${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")} × 10${power}`;
}

function pickerThreeDigits(x) {
  return pickerFixed(x, x >= 100 ? 0 : x >= 10 ? 1 : 2);
}

function pickerBytes(x) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let index = 0;
  while (x >= 1024 && index < units.length - 1) { x /= 1024; index += 1; }
  return index === 0 ? `${pickerFixed(x, 0)} B` : `${pickerThreeDigits(x)} ${units[index]}`;
}

function pickerWrite(value, unit) {
  if (unit === "text" || typeof value === "string") return String(value);
  if (unit === "bool") return value ? "yes" : "no";
  const x = Number(value);
  switch (unit) {
    case "count": return x === Math.floor(x) ? pickerFixed(x, 0) : pickerFixed(x, 2);
    case "bytes": return pickerBytes(x);
    case "flops": return `${pickerSci(x)} FLOPs`;
    case "sci": return pickerSci(x);
    case "ms":
      if (x >= 1000) return `${pickerThreeDigits(x / 1000)} s`;
      return x >= 0.01 || x === 0 ? `${pickerThreeDigits(x)} ms` : `${pickerThreeDigits(x * 1000)} µs`;
    case "percent": return `${pickerFixed(100 * x, 1)}%`;
    case "factor": return `${x >= 0.01 && x < 1000 ? pickerFixed(x, 2) : pickerSci(x)}×`;
    case "bandwidth": return `${pickerFixed(x / 1e9, 0)} GB/s`;
    default: throw new Error(`unknown unit '${unit}'`);
  }
}

// ---- the procedure of engine.py's pick() ---------------------------------------------------------------

const PICKER_OPERATORS = {
  lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b,
  ge: (a, b) => a >= b, eq: (a, b) => a === b, ne: (a, b) => a !== b,
};
const PICKER_BINDINGS = { family_name: "text", memory_kind: "text", state_bytes: "bytes", flops_per_token: "flops" };

function pickerHolds(conditions, env) {
  return (conditions || []).every((c) => {
    const right = typeof c.value === "string" ? Number(env[c.value]) : Number(c.value);
    return PICKER_OPERATORS[c.op](Number(env[c.field]), right);
  });
}

// What is wrong with a value the reader typed, in the page's language (rules.words)
function pickerCheckValue(spec, value, words) {
  const problem = (key, limit) => new Error(words[key].replace("{field}", spec.label).replace("{limit}", limit));
  if (spec.kind === "boolean") {
    if (typeof value !== "boolean") throw problem("not_boolean");
    return value;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) throw problem("not_a_number");
  if (spec.kind === "integer" && value !== Math.trunc(value)) throw problem("not_whole");
  if ("min" in spec && value < spec.min) throw problem("below_min", pickerSci(spec.min));
  if ("max" in spec && value > spec.max) throw problem("above_max", pickerSci(spec.max));
  return value;
}

function pickerNearestShape(params, shapes) {
  const distance = (shape) => { const ratio = params / shape.params; return ratio >= 1 ? ratio : 1 / ratio; };
  return shapes.slice(1).reduce((best, shape) => (distance(shape) < distance(best) ? shape : best), shapes[0]);
}

function pickerUnits(rules) {
  const units = {};
  for (const spec of rules.inputs) units[spec.name] = spec.unit;
  for (const [name, c] of Object.entries(rules.constants)) units[name] = c.unit;
  for (const key of Object.keys(rules.shapes[0])) if (key !== "name" && key !== "params") units[key] = "count";
  for (const section of ["derived", "results"]) for (const [name, d] of Object.entries(rules[section])) units[name] = d.unit;
  Object.assign(units, PICKER_BINDINGS);
  for (const name of Object.keys(rules.verdicts)) units[name] = "bool";
  return units;
}

function pick(problem, rules) {
  const values = {};
  for (const spec of rules.inputs) values[spec.name] = pickerCheckValue(spec, spec.name in problem ? problem[spec.name] : spec.default, rules.words);
  const env = { ...values };
  const units = pickerUnits(rules);
  for (const [name, c] of Object.entries(rules.constants)) env[name] = Number(c.value);
  const shape = pickerNearestShape(values.params, rules.shapes);
  for (const [key, value] of Object.entries(shape)) if (key !== "name" && key !== "params") env[key] = Number(value);
  for (const [name, spec] of Object.entries(rules.derived)) env[name] = pickerEvaluate(pickerParse(spec.formula), env);
  const rule = rules.rules.find((r) => pickerHolds(r.when, env));
  const key = rule.family;
  const family = rules.families[key];
  Object.assign(env, {
    family_name: family.name, memory_kind: family.memory_kind,
    state_bytes: env[family.memory], flops_per_token: env[family.flops],
  });
  for (const [name, spec] of Object.entries(rules.results)) env[name] = pickerEvaluate(pickerParse(spec.formula), env);
  const verdicts = {};
  for (const [name, v] of Object.entries(rules.verdicts)) verdicts[name] = pickerHolds([v], env);
  Object.assign(env, verdicts);
  // A text, or the parts of a list (plain texts, and {when, text} where the conditions hold), as engine.py.
  const fill = (template) => (Array.isArray(template)
    ? template.filter((part) => typeof part === "string" || pickerHolds(part.when, env))
      .map((part) => fill(typeof part === "string" ? part : part.text)).join("")
    : template.replace(/\{([a-z0-9_]+)\}/g, (_, name) =>
      name in rules.verdicts ? rules.verdicts[name][env[name] ? "if_true" : "if_false"] : pickerWrite(env[name], units[name])));
  const failure = family.failure_modes.find((f) => pickerHolds(f.when, env));
  return {
    family: key, family_name: family.name, rule: rule.key, shape: shape.name,
    constraint: fill(rule.constraint),
    strategy: family.strategy.filter((s) => pickerHolds(s.when, env)).map((s) => fill(s.text)),
    quantities: env, verdicts,
    training: fill(rules.report.training), memory: fill(rules.report.memory), prefill: fill(rules.report.prefill),
    latency: fill(rules.report.latency),
    failure_mode: { text: fill(failure.text), cite: failure.cite },
    caveats: rules.caveats.filter((c) => c.families.includes(key) && pickerHolds(c.when, env))
      .map((c) => ({ key: c.key, text: fill(c.text) })),
    fallback: values.production && family.maturity === "new" ? family.fallback : null,
  };
}

// ---- the form --------------------------------------------------------------------------------------------

// The answer as site_src/hooks/picker.py writes the worked examples: one <dl>, fields marked for tests,
// each term in the page's language (rules.words, from gen/picker/rules.yaml).
function pickerAnswerElement(answer, words) {
  const list = document.createElement("dl");
  list.className = "rva-pick__answer";
  const add = (field, content, numbers) => {
    const dt = document.createElement("dt");
    dt.textContent = words[field];
    const dd = document.createElement("dd");
    dd.dataset.field = field;
    if (Array.isArray(content)) {
      const ul = document.createElement("ul");
      for (const line of content) { const li = document.createElement("li"); li.textContent = line; ul.append(li); }
      dd.append(ul);
    } else {
      dd.textContent = content;
    }
    for (const [name, value] of Object.entries(numbers || {})) dd.setAttribute(`data-${name.replace(/_/g, "-")}`, String(value));
    list.append(dt, dd);
  };
  const q = answer.quantities;
  add("family_name", answer.family_name);
  add("constraint", answer.constraint);
  add("strategy", answer.strategy);
  add("training", answer.training, { flops_per_token: q.flops_per_token, train_flops: q.train_flops });
  add("memory", answer.memory, { state_bytes: q.state_bytes, memory_b1: q.memory_b1 });
  add("prefill", answer.prefill, { prefill_ms: q.prefill_ms });
  add("latency", answer.latency, { decode_ms: q.decode_ms });
  add("failure_mode", words.cited.replace("{text}", answer.failure_mode.text).replace("{cite}", answer.failure_mode.cite));
  if (answer.caveats.length) add("caveats", answer.caveats.map((c) => c.text));
  add("shape", answer.shape);
  return list;
}

function pickerReadForm(form, rules) {
  const problem = {};
  for (const spec of rules.inputs) {
    const input = form.elements.namedItem(spec.name);
    if (spec.kind === "boolean") { problem[spec.name] = input.checked; continue; }
    const text = input.value.trim();
    if (text === "" || Number.isNaN(Number(text))) throw new Error(rules.words.not_a_number.replace("{field}", spec.label));
    problem[spec.name] = Number(text);
  }
  return problem;
}

function pickerFillForm(form, rules, problem) {
  for (const spec of rules.inputs) {
    const input = form.elements.namedItem(spec.name);
    const value = spec.name in problem ? problem[spec.name] : spec.default;
    if (spec.kind === "boolean") input.checked = Boolean(value); else input.value = pickerTyped(value);
  }
}

// A number as a reader would type it: 4096 or 0.5 plainly, large ones as 1e21 or 1.4e9.
function pickerTyped(value) {
  return Math.abs(value) < 1e6 ? String(value) : value.toExponential().replace("e+", "e");
}

function pickerSetUp(root) {
  if (root.dataset.ready) return;  // instant navigation can show the same element again
  root.dataset.ready = "true";
  const data = JSON.parse(root.querySelector("template.rva-pick__data").content.textContent);
  const form = root.querySelector("form");
  const output = root.querySelector("[aria-live]");
  const choose = form.querySelector("select[name='example']");
  const answer = () => {
    output.replaceChildren();
    try {
      output.append(pickerAnswerElement(pick(pickerReadForm(form, data.rules), data.rules), data.rules.words));
      output.dataset.state = "answer";
    } catch (error) {
      const p = document.createElement("p");
      p.className = "rva-pick__error";
      p.textContent = data.rules.words.cannot_answer.replace("{problem}", error.message);
      output.append(p);
      output.dataset.state = "error";
    }
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); answer(); });
  choose.addEventListener("change", () => {
    const example = data.examples[choose.value];
    if (!example) return;
    pickerFillForm(form, data.rules, example.problem);
    answer();
  });
}

function pickerInit() {
  for (const root of document.querySelectorAll("[data-rva-picker]")) pickerSetUp(root);
}

// Material's document$ fires on the first load and after every instant-navigation page change.
if (typeof document$ !== "undefined") document$.subscribe(pickerInit);
else document.addEventListener("DOMContentLoaded", pickerInit);
