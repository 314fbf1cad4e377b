import { defineConfig } from "@playwright/test";

// scripts/test.sh picks free ports and exports them; the web servers below are the suite's SMTP
// sink (end2end/mail/sink.py, a real SMTP server with an HTTP API for the tests), the Google and
// Microsoft simulators (the google-sim and ms-sim crates' binaries, standing in for their OAuth
// and calendar APIs) and the server binary (release by default; scripts/test.sh passes the debug one its Rust tests already built),
// started from the workspace root with a fresh, empty data directory for every run.
const port = Number(process.env.RENDEZVOUS_E2E_PORT ?? 3100);
const smtpPort = Number(process.env.RENDEZVOUS_E2E_SMTP_PORT ?? 3101);
const mailPort = Number(process.env.RENDEZVOUS_E2E_MAIL_PORT ?? 3102);
const googlePort = Number(process.env.RENDEZVOUS_E2E_GOOGLE_PORT ?? 3103);
const google = `http://127.0.0.1:${googlePort}`;
const msPort = Number(process.env.RENDEZVOUS_E2E_MS_PORT ?? 3104);
const microsoft = `http://127.0.0.1:${msPort}`;
const baseURL = `http://127.0.0.1:${port}`;
const server = process.env.RENDEZVOUS_E2E_SERVER ?? "./target/release/rendezvous";
const sink = process.env.RENDEZVOUS_MAIL_SINK ?? "target/mail-venv/bin/python end2end/mail/sink.py";
const googleSim = process.env.RENDEZVOUS_E2E_GOOGLE_SIM ?? "./target/release/google-sim";
const msSim = process.env.RENDEZVOUS_E2E_MS_SIM ?? "./target/release/ms-sim";

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
    { name: "app", testIgnore: /(setup|invitations)\.spec\.ts/, dependencies: ["setup"] },
    // Last: every invitation the whole suite mailed or downloaded passed the independent parser.
    { name: "invitations", testMatch: /invitations\.spec\.ts/, dependencies: ["app"] },
  ],
  webServer: [
    {
      command: `exec ${sink} serve --smtp-port ${smtpPort} --http-port ${mailPort}`,
      cwd: "..",
      url: `http://127.0.0.1:${mailPort}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `exec ${googleSim} --port ${googlePort}`,
      cwd: "..",
      url: `${google}/_control/calendars`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `exec ${msSim} --port ${msPort}`,
      cwd: "..",
      url: `${microsoft}/_control/calendars`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `RENDEZVOUS_DATA_DIR="$(mktemp -d)" exec ${server}`,
      cwd: "..",
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        RENDEZVOUS_BIND: `127.0.0.1:${port}`,
        RENDEZVOUS_LOG: "warn",
        RENDEZVOUS_SMTP_HOST: "127.0.0.1",
        RENDEZVOUS_SMTP_PORT: String(smtpPort),
        RENDEZVOUS_SMTP_TLS: "none",
        RENDEZVOUS_GOOGLE_CLIENT_ID: "rendezvous-sim.apps.googleusercontent.com",
        RENDEZVOUS_GOOGLE_CLIENT_SECRET: "GOCSPX-simulator-secret",
        RENDEZVOUS_GOOGLE_AUTHORIZE_URL: `${google}/o/oauth2/v2/auth`,
        RENDEZVOUS_GOOGLE_TOKEN_URL: `${google}/token`,
        RENDEZVOUS_GOOGLE_REVOKE_URL: `${google}/revoke`,
        RENDEZVOUS_GOOGLE_CALENDAR_API_URL: `${google}/calendar/v3`,
        RENDEZVOUS_MICROSOFT_CLIENT_ID: "6731de76-14a6-49ae-97bc-6eba6914391e",
        RENDEZVOUS_MICROSOFT_CLIENT_SECRET: "Rdv8Q~simulator.client-secret_0123456789",
        RENDEZVOUS_MICROSOFT_AUTHORIZE_URL: `${microsoft}/common/oauth2/v2.0/authorize`,
        RENDEZVOUS_MICROSOFT_TOKEN_URL: `${microsoft}/common/oauth2/v2.0/token`,
        RENDEZVOUS_MICROSOFT_GRAPH_URL: `${microsoft}/v1.0`,
        // So a meeting added in the simulator reaches the booking page within seconds.
        RENDEZVOUS_BUSY_REFRESH_SECONDS: "1",
        // The simulators deliver push notifications to this plain-http server.
        RENDEZVOUS_CALENDAR_PUSH: "on",
        // The specs' webhook receivers listen on plain http on loopback, which production refuses.
        RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE: "1",
        // So is the CalDAV server (Radicale, started by scripts/test.sh).
        RENDEZVOUS_CALDAV_ALLOW_PRIVATE: "1",
        // Every spec shares one address (127.0.0.1); the per-email limit stays low enough for
        // security.spec.ts to reach it.
        RENDEZVOUS_RATE_LIMITS: "slots=100000/min, booking=100000/h, manage=100000/h, booking-email=40/h",
      },
    },
  ],
});
