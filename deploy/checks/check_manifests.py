"""What `make check-k8s` asks of deploy/kubernetes beyond the schema and checkov's rules.

Every Deployment has a Service, a PodDisruptionBudget and a NetworkPolicy that select its
pods, probes on the endpoints each part really serves, and resource requests and limits; the
gateway has a HorizontalPodAutoscaler; nothing carries a secret value (Secrets are only
referenced); the default-deny policy covers the whole namespace.
"""
import pathlib
import sys

import yaml

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "deploy/kubernetes")
docs = []
for path in sorted(ROOT.glob("*.yaml")):
    if path.name == "kustomization.yaml":
        continue
    docs += [(path.name, d) for d in yaml.safe_load_all(path.read_text()) if d]

problems = []
by_kind = {}
for name, d in docs:
    by_kind.setdefault(d["kind"], []).append(d)

def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).get("matchLabels", {}).items())

if by_kind.get("Secret"):
    problems.append("a Secret is defined in the manifests: reference Secrets, never carry them")

EXPECTED_PROBES = {"users-service": ("/healthz", "/readyz"), "orders-service": ("/healthz", "/readyz"),
                   "gateway": ("/healthz", "/readyz"), "dashboard": ("/sign-in", "/sign-in")}
for dep in by_kind.get("Deployment", []):
    name = dep["metadata"]["name"]
    labels = dep["spec"]["template"]["metadata"]["labels"]
    for kind in ("Service", "PodDisruptionBudget"):
        sel = lambda o: o["spec"]["selector"] if kind == "Service" else o["spec"]["selector"]["matchLabels"]
        if not any(all(labels.get(k) == v for k, v in sel(o).items()) for o in by_kind.get(kind, [])):
            problems.append(f"{name}: no {kind} selects its pods")
    if not any(selects(p["spec"]["podSelector"], labels) and p["spec"]["podSelector"].get("matchLabels")
               for p in by_kind.get("NetworkPolicy", [])):
        problems.append(f"{name}: no NetworkPolicy of its own")
    for c in dep["spec"]["template"]["spec"]["containers"]:
        live = c.get("livenessProbe", {}).get("httpGet", {}).get("path")
        ready = c.get("readinessProbe", {}).get("httpGet", {}).get("path")
        if (live, ready) != EXPECTED_PROBES.get(name):
            problems.append(f"{name}: probes {live}, {ready}; expected {EXPECTED_PROBES.get(name)}")
        res = c.get("resources", {})
        if not (res.get("requests", {}).get("cpu") and res.get("limits", {}).get("memory")):
            problems.append(f"{name}: resources missing")
        for env in c.get("env", []):
            secretish = any(w in env["name"] for w in ("PASSWORD", "DATABASE_URL", "REDIS_URL", "TOKEN", "PRIVATE_KEY"))
            if "value" in env and secretish and not env["name"].endswith("_FILE"):
                problems.append(f"{name}: {env['name']} has a literal value; reference a Secret")

if not any(h["spec"]["scaleTargetRef"]["name"] == "gateway" for h in by_kind.get("HorizontalPodAutoscaler", [])):
    problems.append("no HorizontalPodAutoscaler for the gateway")
if not any(p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
           and not p["spec"].get("ingress") and not p["spec"].get("egress")
           for p in by_kind.get("NetworkPolicy", [])):
    problems.append("no default-deny NetworkPolicy for the namespace")
jobs = {j["metadata"]["name"] for j in by_kind.get("Job", [])}
for svc in ("users-service", "orders-service"):
    if f"{svc}-migrate" not in jobs:
        problems.append(f"no migration Job for {svc}")

for p in problems:
    print(f"  - {p}")
print(f"deploy/kubernetes: {len(docs)} resources, {len(problems)} problems")
sys.exit(1 if problems else 0)
