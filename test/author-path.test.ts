// The loop author's path (README, "Validate your loop") kept honest: the loopspec command is
// taken from examples/github-workflow.yml itself and run as that job would run it, in a loop's
// repository laid out as examples/myloop/ with loopspec installed in its node_modules/, and it
// must leave a green run and the JUnit file where the workflow's upload step looks.
//
// What stands in for what the job does with a network: the workflow's `pip install -e .` is
// PYTHONPATH=src (what an editable install amounts to; PyPI is not reachable here), its
// `npm install github:OWNER/loopspec` is a copy of this checkout's files into
// node_modules/loopspec with this checkout's dependencies and native build linked in, and
// `python` is CPython 3.12.1. (A real clone and `npm ci` take about 30 s with a warm npm cache
// and need the registry: too slow and too networked for a test.)
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CPYTHON_312, lastLine, ROOT } from './helpers';

const EXAMPLE = path.join(ROOT, 'examples', 'myloop');
const WORKFLOW = path.join(ROOT, 'examples', 'github-workflow.yml');

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown> }

function workflowSteps(): Step[] {
  const doc = parse(fs.readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const jobs = Object.values(doc.jobs);
  assert.equal(jobs.length, 1, 'one job');
  return jobs[0].steps;
}

function stepUsing(steps: Step[], action: string): Step {
  const step = steps.find((s) => s.uses?.startsWith(`${action}@`));
  assert.ok(step, `a step uses ${action}`);
  return step;
}

function stepRunning(steps: Step[], command: RegExp): string {
  const runs = steps.map((s) => s.run?.trim()).filter((r): r is string => !!r && command.test(r));
  assert.equal(runs.length, 1, `one step runs ${command}`);
  return runs[0];
}

/** A loop's repository: examples/myloop/ at its root, loopspec in node_modules/ as npm leaves it. */
function loopRepository(): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-author-'));
  fs.cpSync(EXAMPLE, repo, { recursive: true });
  const kit = path.join(repo, 'node_modules', 'loopspec');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(kit, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(kit, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(kit, 'node_modules'));
  fs.mkdirSync(path.join(kit, 'native', 'build'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'native', 'build', 'Release'), path.join(kit, 'native', 'build', 'Release'));
  fs.mkdirSync(path.join(repo, 'node_modules', '.bin'));
  fs.symlinkSync('../loopspec/bin/loopspec.js', path.join(repo, 'node_modules', '.bin', 'loopspec'));
  // `python` on PATH, as actions/setup-python leaves it.
  fs.mkdirSync(path.join(repo, '.python-bin'));
  fs.symlinkSync(CPYTHON_312, path.join(repo, '.python-bin', 'python'));
  return repo;
}

/** Every file under dir whose path relative to it matches reports/**\/NAME. */
function filesNamed(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === name).map((f) => path.join(dir, f));
}

function shell(command: string, cwd: string, env: NodeJS.ProcessEnv, limitMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

test('the example workflow sets up Node 20 and Python, installs the loop and loopspec, runs strict and uploads the JUnit', () => {
  const steps = workflowSteps();
  stepUsing(steps, 'actions/checkout');
  assert.equal(String(stepUsing(steps, 'actions/setup-node').with?.['node-version']), '20');
  assert.ok(stepUsing(steps, 'actions/setup-python').with?.['python-version']);
  stepRunning(steps, /^pip install /);
  assert.match(stepRunning(steps, /^npm install /), /github:OWNER\/loopspec/);
  const check = stepRunning(steps, /^npx loopspec /);
  for (const flag of ['--python python', '--loop mypkg:new_event_loop', '--expectations ', '--strict', '--reports reports']) assert.ok(check.includes(flag), `${check} has ${flag}`);
  assert.equal(stepUsing(steps, 'actions/upload-artifact').with?.path, 'reports/**/junit.xml');
});

test('the README gives the workflow\'s command and links the example', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Validate your loop'));
  assert.ok(section, 'README has a "Validate your loop" section');
  assert.ok(section.includes(stepRunning(workflowSteps(), /^npx loopspec /)), 'the section shows the workflow\'s loopspec command');
  assert.match(section, /\(examples\/github-workflow\.yml\)/);
  assert.match(section, /\(examples\/myloop\/?\)/);
});

const noPython = fs.existsSync(CPYTHON_312) ? false : `${CPYTHON_312} is not installed`;

test('the workflow\'s loopspec command is green on the example loop, and leaves the JUnit where the upload looks', { skip: noPython }, async (t) => {
  const steps = workflowSteps();
  const command = stepRunning(steps, /^npx loopspec /);
  const upload = String(stepUsing(steps, 'actions/upload-artifact').with?.path);
  const repo = loopRepository();
  t.after(() => fs.rmSync(repo, { recursive: true, force: true }));
  const env = { ...process.env, PATH: `${path.join(repo, '.python-bin')}:${process.env.PATH}`, PYTHONPATH: path.join(repo, 'src') };
  // The whole suite, exactly as the job runs it.
  const run = await shell(command, repo, env, 300_000);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(lastLine(run.stdout), /^\d+ passed, 0 failed, \d+ skipped$/);
  assert.match(run.stderr, /^loopspec: mypkg 0\.1\.0 \(Python 3\.12\.1\)/m);
  // Every expectation that holds on 3.12.1 failed as the file says: the file is no bigger than reality.
  const expected = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'loopspec-expectations.json'), 'utf8')).expected_failures.length;
  assert.match(run.stdout, new RegExp(`^${expected} failed as the expectations file says$`, 'm'));

  assert.match(upload, /^reports\/\*\*\/junit\.xml$/);
  const junit = filesNamed(path.join(repo, 'reports'), 'junit.xml');
  assert.deepEqual(junit.map((f) => path.relative(repo, f)), ['reports/python-3.12.1-mypkg/junit.xml']);
  // A suite per feature, nothing failed (expected failures are skipped tests there).
  const xml = fs.readFileSync(junit[0], 'utf8');
  assert.match(xml, /<testsuites [^>]*tests="\d+" failures="0"/);
  assert.match(xml, /<testsuite name="features\/scheduling-callbacks\/loop\.call_soon\.feature" /);
});

test('loopspec runs from any directory, its kit wherever it is', async (t) => {
  // Cucumber's workers and the drivers find the kit's built modules from the kit's own folder.
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-cwd-'));
  t.after(() => fs.rmSync(elsewhere, { recursive: true, force: true }));
  const run = await shell(`node ${JSON.stringify(path.join(ROOT, 'bin', 'loopspec.js'))} --tags @loop.call_soon --reports reports`, elsewhere, process.env, 120_000);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(lastLine(run.stdout), /^\d+ passed, 0 failed, 0 skipped$/);
  assert.ok(fs.existsSync(path.join(elsewhere, 'reports', 'reference', 'junit.xml')));
});
