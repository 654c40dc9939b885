// Typesets TeX with KaTeX for the build (site_src/math.py), so pages ship finished math and no
// typesetting script. One JSON request per line on stdin: {"tex": "...", "display": true|false};
// one JSON answer per line on stdout: {"html": "..."} or {"error": "KaTeX's message"}.
const path = require("path");
const readline = require("readline");
const katex = require(path.join(__dirname, "..", "..", "node_modules", "katex"));

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let answer;
  try {
    answer = { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" }) };
  } catch (err) {
    answer = { error: String(err.message || err).split("\n")[0] };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
