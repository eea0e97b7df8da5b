#!/usr/bin/env bash
# `make check-k8s`: the Kubernetes manifests in deploy/kubernetes, without a cluster.
#  1. kubernetes-validate --strict against the API schemas of one Kubernetes version
#     (K8S_VERSION, default 1.33.0): unknown fields and wrong types fail.
#  2. deploy/checks/check_manifests.py: a Service, PDB and NetworkPolicy per Deployment, the
#     probes each part really serves, resources, the gateway's HPA, migration Jobs,
#     default-deny, no Secret values.
#  3. checkov (settings and the two skipped checks, with reasons: deploy/checks/checkov.yaml).
# First, a broken manifest must fail step 1, so a validator that accepts anything is caught.
# The tools are pinned in deploy/checks/requirements.txt (make k8s-deps installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=deploy/checks/.venv
K8S_VERSION=${K8S_VERSION:-1.33.0}
[ -x "$VENV/bin/checkov" ] || { echo "run make k8s-deps first"; exit 1; }
mapfile -t manifests < <(ls deploy/kubernetes/*.yaml | grep -v kustomization.yaml)

broken=$(mktemp --suffix=.yaml)
trap 'rm -f "$broken"' EXIT
sed 's/readinessProbe:/readinessProbes:/' deploy/kubernetes/gateway.yaml > "$broken"
if "$VENV/bin/kubernetes-validate" --quiet --strict -k "$K8S_VERSION" "$broken" >/dev/null 2>&1; then
  echo "kubernetes-validate accepted a Deployment with an unknown field: the check cannot fail"; exit 1
fi

echo "kubernetes-validate --strict (Kubernetes $K8S_VERSION): ${#manifests[@]} files"
"$VENV/bin/kubernetes-validate" --quiet --strict -k "$K8S_VERSION" "${manifests[@]}"
echo "kubernetes-validate: every resource is valid"

"$VENV/bin/python" deploy/checks/check_manifests.py deploy/kubernetes

echo "checkov (deploy/checks/checkov.yaml)"
"$VENV/bin/checkov" --config-file deploy/checks/checkov.yaml -d deploy/kubernetes | sed '/^$/d'
