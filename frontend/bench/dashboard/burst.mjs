// The burst: orders created through the gateway at a fixed rate (open model: each request is
// sent at its scheduled time whether or not the earlier ones have answered), over keep-alive
// connections, as a storefront would. Any answer but 201 is an error the benchmark fails on.
import { Agent, request } from "node:http";
import { orderBody } from "../../e2e/api.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function post(agent, url, token, body) {
  return new Promise((ok, fail) => {
    const payload = JSON.stringify(body);
    const req = request(url, {
      method: "POST",
      agent,
      headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload), Authorization: `Bearer ${token}` },
      timeout: 10_000,
    }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => ok({ status: response.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out after 10 s")));
    req.on("error", fail);
    req.end(payload);
  });
}

/**
 * Creates `rate` orders per second for `seconds` at `gatewayApi`/orders. Resolves with the count
 * sent, the count created, the failures (status and body) and the create latencies' p50/p99 (ms).
 */
export async function burst({ gatewayApi, token, rate, seconds }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const latencies = [];
  const failures = [];
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = performance.now();
    inFlight.push(
      post(agent, `${gatewayApi}/orders`, token, orderBody(`Burst customer ${i}`))
        .then(({ status, body }) => {
          if (status === 201) latencies.push(performance.now() - sent);
          else failures.push(`${status}: ${body.slice(0, 200)}`);
        })
        .catch((error) => failures.push(String(error))),
    );
  }
  const sendingMs = performance.now() - started;
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { sent: total, created: latencies.length, failures, sending_ms: Math.round(sendingMs), p50_ms: Math.round(at(0.5)), p99_ms: Math.round(at(0.99)) };
}
