#!/usr/bin/env bash
# Builds the real local stack's tools from Go modules, once, into a cache outside the clone, and
# reuses them: etcd, kube-apiserver, kube-controller-manager, kubectl, Helm, istiod, CoreDNS, the
# Pulumi CLI, its Node.js language host and its Kubernetes provider; and unpacks Istio's charts. Each tool is
# pinned by its module under test/real/tools/<name> (go.mod + go.sum); a tool is rebuilt only when
# its module files or its build flags change (a stamp beside the binary records them).
#
#   ISTHMUS_REAL_CACHE   the cache folder (default ~/.cache/isthmus-real)
#
# Cold, on 2 cores, about 35 minutes; warm, a second.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${ISTHMUS_REAL_CACHE:-$HOME/.cache/isthmus-real}"
bin="$cache/bin"
mkdir -p "$bin" "$cache/build"
export GOFLAGS="-buildvcs=false -trimpath"

# Istio's charts: the release-1.30 branch head (its VERSION file says 1.30); the 1.30.3 tag's
# commit is not served as a module.
ISTIO_CHARTS_MODULE="istio.io/istio@v0.0.0-20260826214018-9739e10eb9d7"

kube_version=v1.36.3
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=36"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

stamp_of() { # module dir, extra -> a digest of what decides the build
  cat "$here/tools/$1/go.mod" "$here/tools/$1/go.sum" | { cat; echo "$2"; go version; } | sha256sum | cut -d' ' -f1
}

# build NAME MODULE-DIR LDFLAGS PACKAGE... : go build the packages into $bin, in the module's copy;
# one package is written as $bin/NAME, several under their own names.
build() {
  local name="$1" module="$2" ldflags="$3"; shift 3
  local stamp; stamp="$(stamp_of "$module" "$ldflags $*")"
  local outputs=("$name")
  if [ "$#" -gt 1 ]; then outputs=("${@##*/}"); fi
  local present=1
  for output in "${outputs[@]}"; do [ -x "$bin/$output" ] || present=0; done
  if [ "$present" = 1 ] && [ -f "$bin/.$name.stamp" ] && [ "$(cat "$bin/.$name.stamp")" = "$stamp" ]; then
    echo "build-tools: $name: cached"
    return
  fi
  local dir="$cache/build/$module"
  mkdir -p "$dir"
  cp "$here/tools/$module/go.mod" "$here/tools/$module/go.sum" "$dir/"
  if [ "$module" = kubernetes-provider ]; then prepare_kubernetes_provider "$dir"; fi
  local start=$SECONDS
  echo "build-tools: $name: building $*"
  if [ "$#" -eq 1 ]; then
    (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/$name" "$1")
  else
    (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/" "$@")
  fi
  echo "$stamp" >"$bin/.$name.stamp"
  echo "build-tools: $name: built in $((SECONDS - start)) s"
}

# module_dir PATH@VERSION: the module's folder in Go's module cache (downloaded if needed), asked
# outside any module so that no replace directive applies.
module_dir() {
  (cd "$cache" && GOFLAGS= go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
}

# The provider's command embeds schema-embed.json, written by its own generate step.
prepare_kubernetes_provider() {
  local dir="$1" src version
  version="$(sed -n 's#^\tgithub.com/pulumi/pulumi-kubernetes/provider/v4 \(v[^ ]*\).*#\1#p' "$dir/go.mod")"
  src="$(module_dir "github.com/pulumi/pulumi-kubernetes/provider/v4@$version")"
  if [ -z "$src" ]; then echo "build-tools: cannot download the Kubernetes provider module $version" >&2; exit 1; fi
  rm -rf "$dir/provider-src"
  cp -r "$src" "$dir/provider-src"
  chmod -R u+w "$dir/provider-src"
  # Its go.mod replaces sdk/v4 with a sibling folder of the upstream repository; take the release.
  (cd "$dir/provider-src" && go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4)
  (cd "$dir/provider-src/cmd/pulumi-resource-kubernetes" && VERSION=4.24.0 GOFLAGS="$GOFLAGS -mod=mod" go run ./generate.go)
}

build etcd etcd "" go.etcd.io/etcd/server/v3
build kube kube "$kube_ldflags" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl
build helm helm "-X helm.sh/helm/v3/internal/version.version=v3.22.0" helm.sh/helm/v3/cmd/helm
build pulumi pulumi "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.274.1" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build pulumi-language-nodejs language-nodejs "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.68.0" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
build pulumi-resource-kubernetes kubernetes-provider "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=4.24.0" github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes
build pilot-discovery istiod "" istio.io/istio/pilot/cmd/pilot-discovery
build coredns coredns "" github.com/coredns/coredns

charts="$cache/charts/istio"
if [ ! -f "$charts/.module" ] || [ "$(cat "$charts/.module")" != "$ISTIO_CHARTS_MODULE" ]; then
  src="$(module_dir "$ISTIO_CHARTS_MODULE")"
  rm -rf "$charts" && mkdir -p "$charts"
  cp -r "$src/manifests/charts/." "$charts/"
  chmod -R u+w "$charts"
  echo "$ISTIO_CHARTS_MODULE" >"$charts/.module"
  echo "build-tools: istio charts: $(ls "$charts" | tr '\n' ' ')"
fi
echo "build-tools: ready in $bin"
