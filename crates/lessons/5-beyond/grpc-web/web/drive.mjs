// Drives the page in headless Chromium (playwright-core, Debian's chromium) and
// prints, as one JSON line, what the page showed: the test checks it.
//
//   node drive.mjs CHROMIUM SAME_ORIGIN_URL ALLOWED_CROSS_URL REFUSED_CROSS_URL SCREENSHOT
import { chromium } from "playwright-core";

const [executablePath, sameOrigin, allowedCross, refusedCross, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
const seen = {};
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
  const text = (selector) => page.locator(selector).textContent();
  // A call has finished once its output says neither "(not called yet)" nor "...ing...".
  const settled = (selector) =>
    page.waitForFunction((s) => !/\.\.\.$|not called yet/.test(document.querySelector(s).textContent), selector);
  const sayHello = async (name) => {
    await page.fill("#name", name);
    await page.click("#say-hello");
    await settled("#unary");
    return { text: await text("#unary"), error: (await page.getAttribute("#unary", "class")) === "error" };
  };

  await page.goto(sameOrigin);
  seen.unary = await sayHello("Jack");
  await page.click("#stream");
  await page.waitForFunction(() => document.querySelector("#stream-status").textContent === "streaming...");
  // Read while the stream is still open: a greeting on screen before the next arrives.
  await page.waitForFunction(() => document.querySelectorAll("#greetings li").length >= 1);
  seen.whileStreaming = { shown: await page.locator("#greetings li").count(), status: await text("#stream-status") };
  await settled("#stream-status");
  seen.streamed = await page.$$eval("#greetings li", (items) =>
    items.map((li) => ({ text: li.textContent, ms: Number(li.dataset.ms) })));
  seen.streamStatus = await text("#stream-status");
  await page.screenshot({ path: screenshot });
  seen.emptyName = await sayHello("");

  await page.goto(allowedCross);
  seen.allowedCross = await sayHello("Jack");
  await page.goto(refusedCross);
  seen.refusedCross = await sayHello("Jack");
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
