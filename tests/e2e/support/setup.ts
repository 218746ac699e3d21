// vitest setupFiles for the browser tests: runs in every test file. Its afterAll belongs to the
// file's root suite, so it runs after every describe block's own afterAll: the file's shared
// Chromium (fileBrowser() in browser.ts) is closed once, when the file is done.
import { afterAll } from "vitest";
import { closeFileBrowser } from "./browser";

afterAll(async () => {
  await closeFileBrowser();
});
