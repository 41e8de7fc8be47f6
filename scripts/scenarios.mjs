#!/usr/bin/env node
// The project's worked examples, run through the headless CLI exactly as a user would run them:
//  - rule scenarios (src/main/rules/scenarios/*/expected.json): import the CSVs, recompute, export
//    orders and partners, compare (docs/data-formats.md, "Worked examples");
//  - admin flows (src/cli/scenarios/*/steps.json): import, then a list of CLI steps and checks.
// Where a folder of extra scenarios exists beside the repository (../shared/scenarios and
// ../shared/scenarios-admin, our own CI), those run too, with their reference runners, in addition.
// usage: node scripts/scenarios.mjs [SCENARIO_DIR...]     exit 1 when any scenario fails
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from './scenarios/run-one.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });

const folders = (base) =>
  existsSync(base)
    ? readdirSync(base, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(base, d.name))
        .sort()
    : [];

// --postgres: every scenario on a team database of its own (issue 13), on the server of
// YUNKE_TEST_PG_URL (scripts/pg-cluster.mjs run sets it) — the same SCENARIO_PG ../shared/tools take
const args = process.argv.slice(2);
if (args.includes('--postgres')) {
  const url = process.env.YUNKE_TEST_PG_URL;
  if (!url) throw new Error('--postgres needs YUNKE_TEST_PG_URL (node scripts/pg-cluster.mjs run -- …)');
  process.env.SCENARIO_PG = url.replace(/\/[^/]*$/, '');
}
const given = args.filter((a) => a !== '--postgres').map((d) => resolve(d));
const own = given.length
  ? given
  : [
      ...folders(join(root, 'src', 'main', 'rules', 'scenarios')),
      ...folders(join(root, 'src', 'cli', 'scenarios')),
    ];

// two at a time: each scenario is a handful of short CLI processes
let pass = 0;
let fail = 0;
const queue = [...own];
async function worker() {
  for (let dir = queue.shift(); dir; dir = queue.shift()) {
    const problems = await runScenario(root, dir);
    const name = dir.split(/[\\/]/).pop();
    if (problems === null) continue; // not a scenario folder
    if (problems.length === 0) {
      pass++;
      console.log(`ok   ${name}`);
    } else {
      fail++;
      console.log(`FAIL ${name}\n  ${problems.slice(0, 15).join('\n  ')}`);
    }
  }
}
await Promise.all([worker(), worker()]);
console.log(
  `project scenarios${process.env.SCENARIO_PG ? ' on PostgreSQL' : ''}: ${pass} passed, ${fail} failed`,
);

// Extra scenarios beside the repository (optional: a clone elsewhere has none).
/** Extra scenarios that need an issue still open, each with its issue; empties as they land. */
const OPEN_EXTRA = {};
let extraFailed = false;
if (given.length === 0) {
  const extra = join(root, '..', 'shared');
  // docs/rules.md is written from the requirement kept there: it must carry every rule id of it
  const requirement = join(extra, 'spec', 'RULES.md');
  if (existsSync(requirement)) {
    const ids = (f) => new Set(readFileSync(f, 'utf8').match(/\bR-[A-Z]+-\d+\b/g) ?? []);
    const documented = ids(join(root, 'docs', 'rules.md'));
    const missing = [...ids(requirement)].filter((id) => !documented.has(id));
    console.log(
      missing.length
        ? `docs/rules.md lacks ${missing.join(', ')}`
        : 'docs/rules.md carries every rule id of the requirement',
    );
    if (missing.length) extraFailed = true;
  }
  for (const [runner, base] of [
    ['run-scenarios.mjs', 'scenarios'],
    ['run-admin-scenarios.mjs', 'scenarios-admin'],
  ]) {
    const tool = join(extra, 'tools', runner);
    const dirs = folders(join(extra, base));
    if (!existsSync(tool) || dirs.length === 0) continue;
    console.log(`extra scenarios in ${join(extra, base)}:`);
    for (const dir of dirs) {
      const name = dir.split(/[\\/]/).pop();
      const { code, output } = await new Promise((res) =>
        execFile(process.execPath, [tool, root, dir], { maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
          res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, output: stdout + stderr }),
        ),
      );
      const lines = output.split('\n').filter((l) => l && !/^\d+ passed, \d+ failed$/.test(l));
      if (name in OPEN_EXTRA) {
        // an extra scenario of an issue still open: its failure is expected, its passing is news
        if (code === 0) {
          console.log(`ok   ${name} — passes now: remove it from OPEN_EXTRA (${OPEN_EXTRA[name]})`);
          extraFailed = true;
        } else console.log(`open ${name} (${OPEN_EXTRA[name]})`);
      } else {
        console.log(lines.join('\n'));
        if (code !== 0) extraFailed = true;
      }
    }
  }
}
process.exit(fail > 0 || extraFailed ? 1 : 0);
