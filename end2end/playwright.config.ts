import { defineConfig } from "@playwright/test";

// scripts/test.sh picks a free port and exports it; the web server below is the release binary
// started from the workspace root with a fresh, empty data directory for every run.
const port = Number(process.env.RENDEZVOUS_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    timezoneId: "Europe/Berlin",
    locale: "en-GB",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // The first run sets the team up; every other spec signs in as the admin it created.
    { name: "setup", testMatch: /setup\.spec\.ts/ },
    { name: "app", testIgnore: /setup\.spec\.ts/, dependencies: ["setup"] },
  ],
  webServer: {
    command: 'RENDEZVOUS_DATA_DIR="$(mktemp -d)" exec ./target/release/rendezvous',
    cwd: "..",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { RENDEZVOUS_BIND: `127.0.0.1:${port}`, RENDEZVOUS_LOG: "warn" },
  },
});
