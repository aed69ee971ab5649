#!/usr/bin/env node
// Browser test of the HTML report (issue 5): runs `assay report PACKAGE --out OUT
// --lang en,zh-Hant --format html`, opens every report.LANG.html in Debian's headless
// Chromium through playwright-core and checks what a reader sees:
//   - no console error, no page error, no network request at all (the file is
//     self-contained: any request, even to a file beside it, is a failure);
//   - no <script> element and no inline event handler;
//   - KPI cells found by their row's visible label and their column's year, with the
//     reference report's figures (shared/reference/reference-report-2024.md) and the
//     catalog's labels (data/metrics/catalog.toml), the row visible on screen and in print;
//   - every chart (.chart) has an inline <svg> of non-zero rendered size;
//   - Chinese text is drawn with a real CJK font (not tofu);
//   - the page prints: print media, page.pdf() writes a non-empty PDF;
//   - a screenshot of the first page: OUT/screenshot.LANG.png.
//
// usage: node report_browser_test.mjs --assay PATH --package DIR --out DIR
//          [--lang en,zh-Hant] [--chromium /usr/bin/chromium] [--html-only DIR]
// --html-only DIR skips assay and checks DIR/report.LANG.html (development).
// Exit 0 all passed, 1 a check failed (or, with CI=true, something is not installed),
// 2 usage, 77 skipped: node_modules or chromium missing outside CI (CTest SKIP_RETURN_CODE).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const SKIP = 77;
const NAME = 'browser_report';
const inCI = !!process.env.CI && !['0', 'false', 'no'].includes(process.env.CI.toLowerCase());

// Figures as published (reference-report-2024.md); labels and units as the metric
// catalog and data/report/units.toml write them. Never output copied from the engine.
const CASES = [
  {
    metric: 'ghg.total.market', year: 2024, text: '6,056,610.1',
    label: { en: 'Total GHG emissions (scopes 1, 2 and 3)', 'zh-Hant': '溫室氣體排放總量（範圍一、二、三）', 'zh-Hans': '温室气体排放总量（范围一、二、三）' },
    unit: { en: 'tCO2e', 'zh-Hant': '噸二氧化碳當量', 'zh-Hans': '吨二氧化碳当量' },
  },
  {
    metric: 'ghg.scope1', year: 2024, text: '121,466.0',
    label: { en: 'Scope 1 emissions', 'zh-Hant': '範圍一排放量', 'zh-Hans': '范围一排放量' },
    unit: { en: 'tCO2e', 'zh-Hant': '噸二氧化碳當量', 'zh-Hans': '吨二氧化碳当量' },
  },
  {
    metric: 'pue.average', year: 2023, text: '1.279',
    label: { en: 'Average PUE of data centres', 'zh-Hant': '數據中心平均PUE', 'zh-Hans': '数据中心平均PUE' },
    unit: { en: '', 'zh-Hant': '', 'zh-Hans': '' },
  },
  {
    metric: 'water.withdrawal', year: 2023, text: '8,191,328.4',
    label: { en: 'Water consumption', 'zh-Hant': '用水量', 'zh-Hans': '用水量' },
    unit: { en: 'tonnes', 'zh-Hant': '噸', 'zh-Hans': '吨' },
  },
  {
    metric: 'waste.hazardous', year: 2024, text: '3,105.8',
    label: { en: 'Hazardous waste disposed', 'zh-Hant': '有害廢棄物處置量', 'zh-Hans': '有害废弃物处置量' },
    unit: { en: 'tonnes', 'zh-Hant': '噸', 'zh-Hans': '吨' },
  },
  {
    metric: 'workforce.headcount', year: 2024, text: '58,350',
    label: { en: 'Total number of employees', 'zh-Hant': '員工總數', 'zh-Hans': '员工总数' },
    unit: { en: '', 'zh-Hant': '', 'zh-Hans': '' },
  },
  {
    metric: 'workforce.turnover', year: 2022, text: '21.7',
    label: { en: 'Employee turnover rate', 'zh-Hant': '總流失率', 'zh-Hans': '总流失率' },
    unit: { en: '%', 'zh-Hant': '%', 'zh-Hans': '%' },
  },
];
const YEAR_SUFFIX = { en: '', 'zh-Hant': '年', 'zh-Hans': '年' };
const VIEWPORT = { width: 1240, height: 1754 };  // A4 at 150 dpi

let passed = 0;
let failed = 0;
function ok(msg) { passed++; console.log(`ok   ${msg}`); }
function fail(msg) { failed++; console.log(`FAIL ${msg}`); }
function check(cond, msg, detail) { cond ? ok(msg) : fail(detail ? `${msg}: ${detail}` : msg); }

function usage(msg) {
  console.error(`${NAME}: ${msg}`);
  console.error('usage: node report_browser_test.mjs --assay PATH --package DIR --out DIR ' +
                '[--lang en,zh-Hant] [--chromium PATH] [--html-only DIR]');
  process.exit(2);
}

// Something the test needs is not installed: a failure in CI (scripts/setup installs
// it), a skip elsewhere.
function unavailable(what) {
  if (inCI) {
    console.error(`${NAME}: FAIL: ${what}; scripts/setup should have installed it (CI=${process.env.CI})`);
    process.exit(1);
  }
  console.error(`${NAME}: SKIPPED: ${what}; run scripts/setup to install it`);
  process.exit(SKIP);
}

let args;
try {
  args = parseArgs({
    options: {
      assay: { type: 'string' },
      package: { type: 'string' },
      out: { type: 'string' },
      lang: { type: 'string', default: 'en,zh-Hant' },
      chromium: { type: 'string', default: process.env.ASSAY_CHROMIUM || '/usr/bin/chromium' },
      'html-only': { type: 'string' },
    },
    strict: true,
  }).values;
} catch (e) {
  usage(e.message);
}
if (!args.out) usage('--out is required');
if (!args['html-only'] && (!args.assay || !args.package)) usage('--assay and --package are required (or --html-only DIR)');
const langs = args.lang.split(',').map((s) => s.trim()).filter(Boolean);
for (const l of langs) if (!(l in YEAR_SUFFIX)) usage(`unknown language ${l}`);
const out = path.resolve(args.out);

// ---- what must be installed ------------------------------------------------
const require = createRequire(import.meta.url);
try {
  require.resolve('playwright-core');
} catch {
  unavailable(`playwright-core is not installed in ${path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules')}`);
}
if (!fs.existsSync(args.chromium)) unavailable(`${args.chromium} not found (Debian package chromium)`);
const { chromium } = await import('playwright-core');

// ---- the report ------------------------------------------------------------
fs.mkdirSync(out, { recursive: true });
let htmlDir = out;
if (args['html-only']) {
  htmlDir = path.resolve(args['html-only']);
  console.log(`${NAME}: --html-only: checking ${htmlDir}/report.{${langs.join(',')}}.html, assay not run`);
} else {
  for (const l of langs) fs.rmSync(path.join(out, `report.${l}.html`), { force: true });
  const cmd = [args.assay, 'report', args.package, '--out', out, '--lang', langs.join(','), '--format', 'html'];
  console.log(`${NAME}: running ${cmd.join(' ')}`);
  try {
    const stdout = execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
    if (stdout.trim()) console.log(stdout.trimEnd());
    ok('assay report exited 0');
  } catch (e) {
    fail(`assay report failed (${e.status !== null && e.status !== undefined ? `exit ${e.status}` : e.message})`);
    if (e.stdout) console.log(String(e.stdout).trimEnd());
    if (e.stderr) console.log(String(e.stderr).trimEnd());
    finish();
  }
}

// ---- the page checks (run inside the page) ------------------------------------
// Visible label of a row head: its innerText without note references (<sup>, .note-ref).
function pageFindCells(cases) {
  const labelOf = (th) => {
    let t = th.innerText.replace(/\s+/g, ' ').trim();
    for (const s of th.querySelectorAll('sup, .note-ref')) {
      const st = s.innerText.replace(/\s+/g, ' ').trim();
      if (st && t.endsWith(st)) t = t.slice(0, -st.length).trim();
    }
    return t;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && r.width > 0 && r.height > 0;
  };
  const allRows = [...document.querySelectorAll('table.kpi > tbody > tr')];
  return cases.map((c) => {
    let rows = allRows.filter((tr) => {
      const th = tr.querySelector(':scope > th[scope="row"]');
      return th && labelOf(th) === c.label;
    });
    if (rows.length > 1) rows = rows.filter((tr) => (tr.dataset.category ?? '') === '');
    if (rows.length === 0) return { error: `no row labelled "${c.label}" in any table.kpi` };
    return {
      rows: rows.map((tr) => {
        const table = tr.closest('table.kpi');
        const r = { table: table.id, metric: tr.dataset.metric, category: tr.dataset.category, rowVisible: visible(tr) };
        const heads = table.tHead ? [...table.tHead.querySelectorAll(`th[data-year="${c.year}"]`)] : [];
        if (heads.length !== 1) { r.error = `${heads.length} <th data-year="${c.year}"> in the <thead> of #${table.id}`; return r; }
        r.head = heads[0].innerText.trim();
        r.headVisible = visible(heads[0]);
        const cell = tr.cells[heads[0].cellIndex];
        if (!cell) { r.error = `row has no cell under the ${c.year} column (index ${heads[0].cellIndex})`; return r; }
        r.cellTag = cell.tagName.toLowerCase();
        r.cellClass = cell.className;
        r.cellYear = cell.dataset.year;
        r.text = cell.innerText.trim();
        r.cellVisible = visible(cell);
        const unit = tr.querySelector(':scope > td.unit');
        r.unit = unit ? unit.innerText.trim() : null;
        return r;
      }),
    };
  });
}

function pageStructure() {
  const handlers = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
  }
  const charts = [...document.querySelectorAll('.chart')].map((c) => {
    const svgs = [...c.querySelectorAll('svg')].filter((s) => !s.parentElement.closest('svg'));
    const sizes = svgs.map((s) => { const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
    return { id: c.id || c.tagName.toLowerCase(), svgs: svgs.length, sizes };
  });
  return {
    lang: document.documentElement.getAttribute('lang'),
    scripts: document.querySelectorAll('script').length,
    handlers: handlers.slice(0, 5),
    nHandlers: handlers.length,
    kpiTables: document.querySelectorAll('table.kpi').length,
    charts,
  };
}

// Draws two different Han characters in the font of the first row label: a missing
// font draws the same .notdef box (tofu) for both, or nothing at all.
function pageCjkGlyphs() {
  const th = document.querySelector('table.kpi > tbody > tr > th[scope="row"]');
  const style = getComputedStyle(th || document.body);
  const draw = (ch) => {
    const c = document.createElement('canvas');
    c.width = 64; c.height = 64;
    const g = c.getContext('2d');
    g.font = `48px ${style.fontFamily}`;
    g.fillStyle = '#000';
    g.textBaseline = 'top';
    g.fillText(ch, 4, 4);
    const d = g.getImageData(0, 0, 64, 64).data;
    let ink = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
    return { ink, width: g.measureText(ch).width, key: Array.from(d.filter((_, i) => i % 4 === 3)).join(',') };
  };
  const a = draw('溫'), b = draw('量');
  return { fontFamily: style.fontFamily, inkA: a.ink, inkB: b.ink, widthA: a.width, same: a.key === b.key };
}

// ---- one language -------------------------------------------------------------
async function checkLanguage(browser, lang) {
  const file = path.join(htmlDir, `report.${lang}.html`);
  const tag = `[${lang}]`;
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    fail(`${tag} ${file} missing or empty`);
    return;
  }
  ok(`${tag} ${file} (${fs.statSync(file).size} bytes)`);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, offline: true, locale: lang });
  const page = await context.newPage();
  const consoleErrors = [], pageErrors = [], requests = [], failedRequests = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url}:${m.location().lineNumber})`); });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== url) requests.push(`${r.method()} ${r.url()}`); });
  page.on('requestfailed', (r) => failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`));
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    check(resp === null || resp.ok(), `${tag} page loaded`);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    const s = await page.evaluate(pageStructure);
    check(s.lang === lang, `${tag} <html lang="${lang}">`, `lang is ${JSON.stringify(s.lang)}`);
    check(s.scripts === 0, `${tag} no <script> element`, `${s.scripts} found`);
    check(s.nHandlers === 0, `${tag} no inline event handler`, `${s.nHandlers} found, e.g. ${s.handlers.join(' ')}`);
    check(s.kpiTables > 0, `${tag} KPI tables (table.kpi): ${s.kpiTables}`);
    check(s.charts.length > 0, `${tag} chart sections (.chart): ${s.charts.length}`);
    for (const c of s.charts) {
      check(c.svgs >= 1 && c.sizes.every(([w, h]) => w > 0 && h > 0),
            `${tag} chart ${c.id}: inline <svg> ${c.sizes.map(([w, h]) => `${w}x${h}`).join(' ')}`,
            c.svgs ? 'an <svg> has zero rendered size' : 'no inline <svg>');
    }

    await checkCells(page, lang, tag, 'screen');

    if (lang.startsWith('zh')) {
      const g = await page.evaluate(pageCjkGlyphs);
      check(g.inkA > 0 && g.inkB > 0 && g.widthA > 0 && !g.same,
            `${tag} Han characters drawn with a real font (font-family: ${g.fontFamily})`,
            g.same ? 'two different characters draw the same box (tofu): no CJK font' : `no ink (${g.inkA}, ${g.inkB})`);
      // Which fonts the renderer really used for the first row label (information only).
      try {
        const cdp = await context.newCDPSession(page);
        await cdp.send('DOM.enable');
        await cdp.send('CSS.enable');
        const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
        const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'table.kpi > tbody > tr > th[scope="row"]' });
        if (nodeId) {
          const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
          console.log(`     ${tag} first row label rendered with: ${fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(', ')}`);
        }
        await cdp.detach();
      } catch (e) {
        console.log(`     ${tag} (platform fonts not available: ${e.message})`);
      }
    }

    const png = path.join(out, `screenshot.${lang}.png`);
    await page.screenshot({ path: png, fullPage: false });
    const pngSize = fs.existsSync(png) ? fs.statSync(png).size : 0;
    check(pngSize > 0, `${tag} screenshot of the first page: ${png} (${pngSize} bytes)`);

    await page.emulateMedia({ media: 'print' });
    await checkCells(page, lang, tag, 'print');
    const pdf = path.join(out, `report.${lang}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const head = fs.existsSync(pdf) ? fs.readFileSync(pdf).subarray(0, 5).toString('latin1') : '';
    const pdfSize = fs.existsSync(pdf) ? fs.statSync(pdf).size : 0;
    const pages = pdfSize ? (fs.readFileSync(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length : 0;
    check(head === '%PDF-' && pdfSize > 1000, `${tag} prints (print media): ${pdf} (${pdfSize} bytes, ${pages} pages)`);

    await page.waitForTimeout(100);  // a late error still counts
  } catch (e) {
    fail(`${tag} ${e.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
  check(consoleErrors.length === 0, `${tag} no console error`, consoleErrors.join(' | '));
  check(pageErrors.length === 0, `${tag} no page error`, pageErrors.join(' | '));
  check(requests.length === 0 && failedRequests.length === 0, `${tag} self-contained: no request beyond the file`,
        [...requests, ...failedRequests.map((f) => `failed ${f}`)].join(' | '));
}

// Every KPI case: one line each on screen; in print only the failures and a summary.
async function checkCells(page, lang, tag, media) {
  const cases = CASES.map((c) => ({ label: c.label[lang], year: c.year }));
  const found = await page.evaluate(pageFindCells, cases);
  const failedBefore = failed;
  let cells = 0;
  CASES.forEach((c, i) => {
    const what = `${tag} ${media}: "${c.label[lang]}" ${c.year}${YEAR_SUFFIX[lang]}`;
    const f = found[i];
    if (f.error) return fail(`${what}: ${f.error}`);
    for (const r of f.rows) {
      const where = `#${r.table} tr[data-metric="${r.metric}"]`;
      const problems = [];
      if (r.error) problems.push(r.error);
      else {
        if (r.metric !== c.metric) problems.push(`row is data-metric="${r.metric}", expected ${c.metric}`);
        if (r.head !== `${c.year}${YEAR_SUFFIX[lang]}`) problems.push(`column head reads "${r.head}", expected "${c.year}${YEAR_SUFFIX[lang]}"`);
        if (r.cellTag !== 'td' || !/\bnum\b/.test(r.cellClass) || r.cellYear !== String(c.year))
          problems.push(`cell is <${r.cellTag} class="${r.cellClass}" data-year="${r.cellYear}">`);
        if (r.text !== c.text) problems.push(`reads "${r.text}", expected "${c.text}"`);
        if (r.unit !== c.unit[lang]) problems.push(`unit reads ${JSON.stringify(r.unit)}, expected ${JSON.stringify(c.unit[lang])}`);
        if (!r.rowVisible || !r.cellVisible || !r.headVisible) problems.push('not visible');
      }
      if (problems.length) fail(`${what} (${where}): ${problems.join('; ')}`);
      else if (media === 'screen') ok(`${what} = ${r.text}${r.unit ? ` ${r.unit}` : ''} (${where})`);
      else cells++;
    }
  });
  if (media !== 'screen' && failed === failedBefore) ok(`${tag} ${media}: the ${cells} KPI cells visible and the same`);
}

function finish() {
  console.log(`${NAME}: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// ---- main ---------------------------------------------------------------------
let browser;
try {
  browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox'], timeout: 60000 });
} catch (e) {
  fail(`cannot launch ${args.chromium}: ${e.message.split('\n')[0]}`);
  finish();
}
console.log(`${NAME}: ${args.chromium} ${browser.version()}, playwright-core ${require('playwright-core/package.json').version}`);
try {
  for (const lang of langs) await checkLanguage(browser, lang);
} finally {
  await browser.close();
}
finish();
