// Starts the real Live Order Monitor for the browser tests, on ports picked at run time:
// fresh PostgreSQL databases (users, orders) on the local server, a private redis-server, the
// three service binaries (the debug build unless told another cargo profile) and the dashboard's
// production build (`npm start`). `stop()` kills every
// process it started, by pid, and drops the databases. Nothing here uses the default ports or
// the shared Redis (other tests publish on the same fixed channel there).
import { spawn, execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const FRONTEND = resolve(import.meta.dirname, "..");
const ROOT = resolve(FRONTEND, "..");
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
const ADMIN_DB_URL = process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function databaseUrl(name) {
  const url = new URL(ADMIN_DB_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function psql(sql) {
  execFileSync("psql", [ADMIN_DB_URL, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { stdio: ["ignore", "pipe", "pipe"] });
}

async function waitFor(what, check, { timeoutMs = 60_000, process: child } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} while starting (log: ${child.logPath})`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
    await sleep(150);
  }
}

// Last resort when the runner itself dies (an uncaught error, Ctrl-C): kill what is still running.
const liveGroups = new Set();
const killAllNow = () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
};
process.once("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

const httpOk = (url) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

export class Stack {
  /** `profile`: which cargo build of the services runs (`debug` for the tests, `release` for benchmarks). */
  constructor({ profile = "debug" } = {}) {
    this.bin = join(TARGET, profile);
    const id = `${process.pid}_${randomBytes(4).toString("hex")}`;
    this.dbNames = { users: `lom_e2e_${id}_users`, orders: `lom_e2e_${id}_orders` };
    this.dir = mkdtempSync(join(tmpdir(), "lom-e2e-"));
    this.logDir = join(FRONTEND, "e2e", "artifacts", "logs");
    mkdirSync(this.logDir, { recursive: true });
    this.password = `e2e-${randomBytes(12).toString("hex")}`;
    this.adminEmail = "admin@e2e.test";
    /** name -> ChildProcess */
    this.processes = new Map();
    this.createdDatabases = [];
    this.logged = new Set();
  }

  /** Spawns `command` in its own process group, logging to artifacts/logs/<name>.log. */
  spawn(name, command, args, { env = {}, cwd = ROOT } = {}) {
    const logPath = join(this.logDir, `${name}.log`);
    // A fresh log per run; a restarted part (the gateway) appends to its first one.
    const log = createWriteStream(logPath, { flags: this.logged.has(name) ? "a" : "w" });
    this.logged.add(name);
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, LOG_FORMAT: "json", RUST_LOG: "info", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child.logPath = logPath;
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.processes.set(name, child);
    liveGroups.add(child.pid);
    return child;
  }

  /** SIGKILL (or `signal`) to the process group of `name` and wait for it to exit. */
  async kill(name, signal = "SIGKILL") {
    const child = this.processes.get(name);
    if (!child) return;
    this.processes.delete(name);
    const running = child.exitCode === null && child.signalCode === null;
    const exited = running ? new Promise((r) => child.once("exit", r)) : Promise.resolve();
    // The whole group, even when its leader has exited (npm start leaves node behind otherwise).
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone
    }
    liveGroups.delete(child.pid);
    await Promise.race([exited, sleep(5000)]);
  }

  async start() {
    for (const binary of ["users-service", "orders-service", "gateway"]) {
      if (!existsSync(join(this.bin, binary))) {
        throw new Error(`${join(this.bin, binary)} is missing: cargo build --locked -p users-service -p orders-service -p gateway`);
      }
    }
    if (!existsSync(join(FRONTEND, ".next", "standalone", "server.js"))) throw new Error("no .next/standalone: run npm run build first");

    const [redisPort, usersPort, ordersPort, gatewayPort, webPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    this.ports = { redis: redisPort, users: usersPort, orders: ordersPort, gateway: gatewayPort, web: webPort };
    this.redisUrl = `redis://127.0.0.1:${redisPort}`;
    this.usersUrl = `http://127.0.0.1:${usersPort}`;
    this.ordersUrl = `http://127.0.0.1:${ordersPort}`;
    this.gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    this.webUrl = `http://127.0.0.1:${webPort}`;
    /** The same dashboard by another host name (another site for the browser's cookies). */
    this.webUrlByName = `http://localhost:${webPort}`;

    /** The orders database, for a harness that seeds or checks it directly. */
    this.ordersDatabaseUrl = databaseUrl(this.dbNames.orders);
    for (const name of Object.values(this.dbNames)) {
      psql(`CREATE DATABASE "${name}"`);
      this.createdDatabases.push(name);
    }

    const redis = this.spawn("redis", "redis-server", ["--bind", "127.0.0.1", "--port", String(redisPort), "--save", "", "--appendonly", "no", "--dir", this.dir]);
    await waitFor("redis-server", () =>
      new Promise((ok) => {
        const socket = createConnection(redisPort, "127.0.0.1", () => socket.write("PING\r\n"));
        socket.on("data", (d) => {
          socket.destroy();
          ok(d.toString().startsWith("+PONG"));
        });
        socket.on("error", () => ok(false));
      }), { process: redis, timeoutMs: 15_000 });

    const users = this.spawn("users-service", join(this.bin, "users-service"), [], {
      env: {
        USERS_BIND: `127.0.0.1:${usersPort}`,
        USERS_DATABASE_URL: databaseUrl(this.dbNames.users),
        USERS_JWT_PRIVATE_KEY_FILE: join(this.dir, "jwt-ed25519.pem"),
        USERS_TRUST_FORWARDED_FOR: "true",
        LOM_ADMIN_EMAIL: this.adminEmail,
        LOM_ADMIN_PASSWORD: this.password,
        REDIS_URL: this.redisUrl,
        JWT_ISSUER: "lom-users",
        JWT_AUDIENCE: "lom",
      },
    });
    // users-service first (orders-service and the gateway fetch its keys), then both others at once.
    await waitFor("users-service", httpOk(`${this.usersUrl}/readyz`), { process: users });
    const orders = this.spawn("orders-service", join(this.bin, "orders-service"), [], {
      env: {
        ORDERS_BIND: `127.0.0.1:${ordersPort}`,
        ORDERS_DATABASE_URL: databaseUrl(this.dbNames.orders),
        REDIS_URL: this.redisUrl,
        USERS_URL: this.usersUrl,
        JWKS_URL: `${this.usersUrl}/.well-known/jwks.json`,
        JWT_ISSUER: "lom-users",
        JWT_AUDIENCE: "lom",
      },
    });
    this.startGateway();
    const web = this.spawn("dashboard", "npm", ["start"], {
      cwd: FRONTEND,
      // No gateway URL: the page reaches the gateway on its own host name, at this port.
      env: { PORT: String(webPort), FRONTEND_HOST: "127.0.0.1", LOM_API_PORT: String(gatewayPort), NEXT_TELEMETRY_DISABLED: "1" },
    });
    await Promise.all([
      waitFor("orders-service", httpOk(`${this.ordersUrl}/readyz`), { process: orders }),
      waitFor("gateway", httpOk(`${this.gatewayUrl}/readyz`), { process: this.processes.get("gateway") }),
      waitFor("dashboard", httpOk(`${this.webUrl}/runtime-config.js`), { process: web }),
    ]);
  }

  startGateway() {
    return this.spawn("gateway", join(this.bin, "gateway"), [], {
      env: {
        GATEWAY_BIND: `127.0.0.1:${this.ports.gateway}`,
        USERS_URL: this.usersUrl,
        ORDERS_URL: this.ordersUrl,
        JWKS_URL: `${this.usersUrl}/.well-known/jwks.json`,
        REDIS_URL: this.redisUrl,
        COOKIE_SECURE: "false",
        CORS_ALLOWED_ORIGINS: `${this.webUrl},${this.webUrlByName}`,
        JWT_ISSUER: "lom-users",
        JWT_AUDIENCE: "lom",
      },
    });
  }

  async restartGateway() {
    const gateway = this.startGateway();
    await waitFor("gateway (restarted)", httpOk(`${this.gatewayUrl}/readyz`), { process: gateway });
  }

  /**
   * Runs `target/debug/demo-storefront seed-users` against this stack's users-service, as
   * scripts/dev.sh does on every `make dev` start: the demo accounts (dispatcher@example.com,
   * agent@, viewer@, storefront@) with `password`, made by the admin. Output goes to
   * artifacts/logs/seed-users.log; resolves when it exits 0, rejects otherwise (60 s at most).
   */
  seedDemoUsers(password = this.password) {
    const binary = join(this.bin, "demo-storefront");
    if (!existsSync(binary)) throw new Error(`${binary} is missing: cargo build --locked -p demo-storefront`);
    const logPath = join(this.logDir, "seed-users.log");
    return new Promise((ok, fail) => {
      execFile(
        binary,
        ["seed-users"],
        {
          cwd: ROOT,
          timeout: 60_000,
          killSignal: "SIGKILL",
          env: {
            ...process.env,
            NO_COLOR: "1",
            RUST_LOG: "info",
            USERS_URL: this.usersUrl,
            LOM_ADMIN_EMAIL: this.adminEmail,
            LOM_ADMIN_PASSWORD: this.password,
            LOM_DEMO_PASSWORD: password,
          },
        },
        (error, stdout, stderr) => {
          // A fresh log per run, one section per call.
          (this.logged.has("seed-users") ? appendFileSync : writeFileSync)(logPath, `--- seed-users at ${new Date().toISOString()}\n${stdout}${stderr}`);
          this.logged.add("seed-users");
          if (error) fail(new Error(`demo-storefront seed-users failed (${error.code ?? error.signal}): ${stderr || stdout}`));
          else ok(`${stdout}${stderr}`);
        },
      );
    });
  }

  /** Kills everything started here (by pid, reverse order) and drops the databases. */
  async stop() {
    for (const name of [...this.processes.keys()].reverse()) await this.kill(name, "SIGKILL");
    for (const name of this.createdDatabases) {
      try {
        psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch (error) {
        console.error(`could not drop database ${name}: ${error.stderr ?? error}`);
      }
    }
    this.createdDatabases = [];
    rmSync(this.dir, { recursive: true, force: true });
  }
}
