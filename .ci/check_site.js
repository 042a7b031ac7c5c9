// Checks the browsable catalog (export-schemas' site/) in Debian's Chromium, driven by
// Playwright (playwright-core, no browser download):
//   - opens index.html from file:// and visits every event page by following its links;
//   - no broken link (pages, anchors and the export files they link), no console error, no
//     uncaught exception, and no request that leaves file://;
//   - typing a field name into the search shows exactly the events that have that field (found
//     independently in the export's self-contained schemas);
//   - axe-core on the index and an event page: no serious or critical violation;
//   - the page of an event with two accepted versions lists the checker's changes.
//
//   node .ci/check_site.js OUT [SCREENSHOT.png]      (NODE_PATH: playwright-core and axe-core)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL, fileURLToPath } = require("node:url");
const { chromium } = require("playwright-core");

const out = path.resolve(process.argv[2] || "out");
const screenshot = process.argv[3];
const site = path.join(out, "site");
const problems = [];
const problem = (text) => {
  problems.push(text);
  console.error("  ✗ " + text);
};

// Every event of the export with the names of every property its schema declares, anywhere.
function fieldsByEvent() {
  const events = new Map();
  const root = path.join(out, "self-contained");
  for (const folder of fs.readdirSync(root)) {
    for (const file of fs.readdirSync(path.join(root, folder))) {
      const names = new Set();
      const walk = (value) => {
        if (Array.isArray(value)) return value.forEach(walk);
        if (value && typeof value === "object") {
          if (value.properties && typeof value.properties === "object") {
            Object.keys(value.properties).forEach((name) => names.add(name));
          }
          Object.values(value).forEach(walk);
        }
      };
      walk(JSON.parse(fs.readFileSync(path.join(root, folder, file), "utf8")));
      events.set(file.replace(/\.json$/, ""), names);
    }
  }
  return events;
}

async function axe(page, name) {
  // preload: false — axe would fetch the style sheets again with XHR, which file:// refuses.
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], preload: false }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) {
    problem(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }
  console.log(`  axe on ${name}: ${result.violations.length} violations, ${bad.length} serious or critical`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // This machine's network is closed: no background connections, no sandbox (root).
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://")) return route.continue();
    problem(`a request left file://: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  let current = "";
  page.on("console", (message) => {
    if (message.type() === "error") problem(`${current}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problem(`${current}: uncaught ${error.message}`));

  // Follow every link from the index; pages are visited once, other files must exist.
  const index = pathToFileURL(path.join(site, "index.html")).href;
  const queue = [index];
  const visited = new Set();
  const anchorsChecked = { count: 0 };
  while (queue.length > 0) {
    const url = queue.shift();
    if (visited.has(url)) continue;
    visited.add(url);
    current = path.relative(site, fileURLToPath(url));
    const response = await page.goto(url);
    if (!response || !response.ok()) problem(`${current}: not found`);
    const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => a.href));
    for (const link of links) {
      const [target, fragment] = link.split("#");
      if (!target.startsWith("file://")) {
        problem(`${current}: a link leaves the site: ${link}`);
        continue;
      }
      const file = fileURLToPath(target);
      if (!fs.existsSync(file)) {
        problem(`${current}: broken link ${link}`);
        continue;
      }
      if (fragment && target === url) {
        anchorsChecked.count += 1;
        const found = await page.$(`[id="${fragment}"]`);
        if (!found) problem(`${current}: no element #${fragment}`);
      }
      if (file.endsWith(".html") && file.startsWith(site) && !visited.has(target)) queue.push(target);
    }
  }
  const pages = [...visited].filter((u) => u !== index);
  const events = fieldsByEvent();
  console.log(`  visited the index and ${pages.length} event pages by their links; ${anchorsChecked.count} in-page anchors found`);
  if (pages.length !== events.size) problem(`${pages.length} event pages reached from the index, ${events.size} events exported`);

  // The search: a field name shows the events that have that field, and only them.
  current = "index.html";
  await page.goto(index);
  for (const field of ["weapon_id", "guild_id", "client_ip"]) {
    await page.fill("#search", field);
    const shown = await page.$$eval("[data-search]:not([hidden]) a", (as) => as.map((a) => a.textContent).sort());
    const expected = [...events].filter(([, names]) => names.has(field)).map(([name]) => name).sort();
    if (expected.length === 0) problem(`no event has ${field}: the check proves nothing`);
    if (JSON.stringify(shown) !== JSON.stringify(expected)) {
      problem(`search "${field}" shows ${JSON.stringify(shown)}, expected ${JSON.stringify(expected)}`);
    }
    const status = await page.textContent("#search-count");
    console.log(`  search "${field}": ${shown.length} events shown (${status})`);
  }
  await page.fill("#search", "no event has this");
  if (!(await page.isVisible("#no-match"))) problem("search without a match does not say so");
  await page.fill("#search", "");
  const all = await page.$$eval("[data-search]:not([hidden])", (items) => items.length);
  if (all !== events.size) problem(`an empty search shows ${all} of ${events.size} events`);
  await axe(page, "index.html");

  // An event with two versions shows the change list between them.
  const chat = pathToFileURL(path.join(site, "social.chat.message_sent.html")).href;
  current = "social.chat.message_sent.html";
  await page.goto(chat);
  const history = await page.textContent("section[aria-labelledby=history]");
  for (const expected of ["From 1.0.0 to 1.1.0", "PII_TAG_ADDED", "DESCRIPTION_CHANGED", "compatible"]) {
    if (!history.includes(expected)) problem(`${current}: the version history lacks "${expected}"`);
  }
  await axe(page, current);
  const attack = pathToFileURL(path.join(site, "combat.player.attack.html")).href;
  current = "combat.player.attack.html";
  await page.goto(attack);
  await axe(page, current);
  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: false });
    console.log(`  screenshot: ${screenshot}`);
  }
  await browser.close();
  if (problems.length > 0) {
    console.error(`site check: ${problems.length} problems`);
    process.exit(1);
  }
  console.log("site check: every page, link and search works; no serious accessibility violation");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
