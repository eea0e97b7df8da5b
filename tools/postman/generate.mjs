// Generates the Postman collection of the public API from the gateway's OpenAPI document
// (`gateway openapi`), with openapi-to-postmanv2, then makes it usable and reproducible:
// requests named by their summary, `{{baseUrl}}` pointing at a local gateway, "Signs in"
// sending `{{email}}`/`{{password}}` and storing `{{accessToken}}` (as does the refresh), which
// every other request sends as its bearer token, the ids and versions it creates kept for the
// requests after it, bodies taken from the schemas' examples,
// random ids replaced by ones derived from the content, and the converter's randomly faked
// example responses left out (the OpenAPI document has the shapes), so regenerating changes
// nothing.
//
//   node generate.mjs <openapi.json> <collection.json>          write the collection
//   node generate.mjs --check <openapi.json> <collection.json>  fail if it is out of date
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import converter from "openapi-to-postmanv2";

const args = process.argv.slice(2);
const check = args[0] === "--check";
const [specPath, outPath] = check ? args.slice(1) : args;
if (!specPath || !outPath) {
  console.error("usage: node generate.mjs [--check] <openapi.json> <collection.json>");
  process.exit(2);
}

const SESSION_PATHS = ["auth/login", "auth/refresh", "auth/logout"];
/** Test scripts that keep what later requests need. */
const remember = (status, lines) => [
  `if (pm.response.code === ${status}) {`,
  "  const body = pm.response.json();",
  ...lines.map((line) => `  ${line}`),
  "}",
];
const ORDER_SEEN = ['pm.collectionVariables.set("orderVersion", body.version);'];
const STORE_TOKEN = [
  "if (pm.response.code === 200) {",
  '  pm.collectionVariables.set("accessToken", pm.response.json().access_token);',
  "}",
];

function convert(spec) {
  const options = {
    folderStrategy: "Tags",
    parametersResolution: "Example",
    enableOptionalParameters: false,
    alwaysInheritAuthentication: true,
  };
  return new Promise((resolve, reject) => {
    converter.convert({ type: "string", data: spec }, options, (error, result) => {
      if (error || !result.result) reject(error ?? new Error(result.reason));
      else resolve(result.output[0].data);
    });
  });
}

/** A stable uuid-shaped id from `text`. */
function stableId(text) {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Replaces every `id` with one derived from the object's own content. */
function stabilise(node) {
  if (Array.isArray(node)) return node.map(stabilise);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== "id") out[key] = stabilise(value);
  }
  if ("id" in node) out.id = stableId(JSON.stringify(out));
  return out;
}

function isSession(request) {
  const path = request.url.path.join("/");
  return SESSION_PATHS.some((p) => path.endsWith(p));
}

/** The example of the JSON body schema the document gives `method` on `segments`, if any. */
function bodyExample(spec, method, segments) {
  const path = `/${segments.map((s) => (s.startsWith(":") ? `{${s.slice(1)}}` : s)).join("/")}`;
  let schema = spec.paths[path]?.[method.toLowerCase()]?.requestBody?.content?.["application/json"]?.schema;
  if (schema?.$ref) schema = spec.components.schemas[schema.$ref.split("/").pop()];
  return schema?.example;
}

function polish(collection, spec) {
  collection.info._postman_id = stableId(collection.info.name);
  collection.variable = [
    { key: "baseUrl", value: "http://localhost:8080", type: "string" },
    { key: "email", value: "admin@example.com", type: "string" },
    { key: "password", value: "", type: "string" },
    { key: "accessToken", value: "", type: "string" },
    { key: "orderId", value: "", type: "string" },
    { key: "orderVersion", value: "1", type: "string" },
    { key: "userId", value: "", type: "string" },
  ];
  collection.auth = { type: "bearer", bearer: [{ key: "token", value: "{{accessToken}}", type: "string" }] };
  for (const folder of collection.item) {
    for (const item of folder.item ?? []) {
      const summary = typeof item.name === "string" ? item.name : "";
      item.name = summary.split(/\.(\s|$)/)[0].trim() || `${item.request.method} ${item.request.url.path.join("/")}`;
      item.response = [];
      const example = bodyExample(spec, item.request.method, item.request.url.path);
      if (example !== undefined) item.request.body.raw = JSON.stringify(example, null, 2);
      if (isSession(item.request)) item.request.auth = { type: "noauth" };
      const path = item.request.url.path.join("/");
      if (path.endsWith("auth/login")) {
        item.request.body.raw = JSON.stringify({ email: "{{email}}", password: "{{password}}" }, null, 2);
      }
      const method = item.request.method;
      let script = null;
      if (path.endsWith("auth/login") || path.endsWith("auth/refresh")) script = STORE_TOKEN;
      else if (path.endsWith("v1/orders") && method === "POST")
        script = remember(201, ['pm.collectionVariables.set("orderId", body.id);', ...ORDER_SEEN]);
      else if (/orders\/:id(\/assign|\/cancel|\/undo)?$/.test(path) && method !== "DELETE") script = remember(200, ORDER_SEEN);
      else if (path.endsWith("orders/bulk"))
        script = remember(200, ['pm.collectionVariables.set("orderVersion", body.results[0].order.version);']);
      else if (path.endsWith("v1/users") && method === "POST")
        script = remember(201, ['pm.collectionVariables.set("userId", body.id);']);
      const succeeds = ['pm.test("succeeds", () => pm.expect(pm.response.code).to.be.within(200, 299));'];
      item.event = [{ listen: "test", script: { type: "text/javascript", exec: [...(script ?? []), ...succeeds] } }];
      for (const variable of item.request.url.variable ?? []) {
        if (variable.key === "id") variable.value = path.includes("/users/") ? "{{userId}}" : "{{orderId}}";
      }
      if (item.request.body?.raw) {
        item.request.body.raw = item.request.body.raw
          .replace(/"version": \d+/, '"version": {{orderVersion}}')
          .replace(/"assignee_id": "[^"]*"/, '"assignee_id": "{{userId}}"');
        // The run has confirmed the order (and undone its cancel) by now: the bulk moves it on.
        if (path.endsWith("orders/bulk"))
          item.request.body.raw = item.request.body.raw.replace(/"id": "[^"]*"/, '"id": "{{orderId}}"').replace(/"status": "CONFIRMED"/, '"status": "PROCESSING"');
      }
    }
  }
  collection.item = collection.item.filter((folder) => (folder.item ?? []).length > 0);
  // Each folder in the order a person would try it, so that running the whole collection
  // works end to end: sign in, use the session, rotate it, end it; create before changing,
  // delete last.
  const order = [
    "POST auth/login", "GET auth/me", "POST auth/refresh", "POST auth/logout",
    "GET users", "GET users/assignable", "POST users", "GET users/:id", "PATCH users/:id",
    "GET orders", "GET orders/stats", "GET orders/metrics", "GET orders/export", "POST orders", "GET orders/:id", "PATCH orders/:id",
    "POST orders/:id/assign", "POST orders/:id/cancel",
    "POST orders/:id/undo", "POST orders/:id/notes", "POST orders/bulk", "DELETE orders/:id",
  ];
  const rank = (item) => {
    const key = `${item.request.method} ${item.request.url.path.slice(2).join("/")}`;
    const at = order.indexOf(key);
    return at === -1 ? order.length : at;
  };
  for (const folder of collection.item) folder.item.sort((a, b) => rank(a) - rank(b));
  collection.info.description = {
    type: "text/markdown",
    content: [
      collection.info.description?.content ?? "",
      "",
      "Set `password` (and `email`, `baseUrl` if they differ) in the collection variables, run",
      "**auth / Signs in** once: it stores `accessToken`, which every other request sends.",
      "Creating an order or an account stores its id (`orderId`, `userId`) and reading or changing",
      "an order its `orderVersion`, so the requests after them work on it.",
      "Generated from the gateway's OpenAPI document by `make postman`; do not edit by hand.",
    ].join("\n"),
  };
  return stabilise(collection);
}

const spec = readFileSync(specPath, "utf8");
const collection = polish(await convert(spec), JSON.parse(spec));
const text = `${JSON.stringify(collection, null, 2)}\n`;
if (check) {
  let current = "";
  try {
    current = readFileSync(outPath, "utf8");
  } catch {
    // Missing counts as out of date.
  }
  if (current !== text) {
    console.error(`${outPath} is out of date: run \`make postman\` and commit it.`);
    process.exit(1);
  }
  console.log(`${outPath} matches the gateway's OpenAPI document`);
} else {
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath}: ${collection.item.map((f) => `${f.name} (${f.item.length})`).join(", ")}`);
}
