#!/usr/bin/env bash
# Installs AgentScript from this repository on this machine, with no package published anywhere:
#   1. packs AgentScript (runtime + generator + analyzers), AgentScript.Cli (the `agentlog` tool) and
#      AgentScript.Templates into a local feed folder;
#   2. registers that folder as a NuGet source named `agentscript-local` (idempotent: re-running updates it);
#   3. installs the `dotnet new` templates (`agentscript`, `agentscript-file`) and the `agentlog` global tool.
# Afterwards: dotnet new agentscript -n MyScript && cd MyScript && dotnet run -- debug
#
# Usage: scripts/install-local.sh [FEED_DIR]
#   FEED_DIR defaults to $AGENTSCRIPT_FEED, else ~/.agentscript/feed.
# Third-party packages (Serilog, Microsoft.Data.Sqlite, …) come from the NuGet sources already configured.
#
# `agentlog` is installed as a *global* tool (not a local tool manifest) because the store it reads is per user
# and shared by every script: one `agentlog` on PATH serves every script folder with no per-folder set-up.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:-${AGENTSCRIPT_FEED:-$HOME/.agentscript/feed}}"
source_name="agentscript-local"

fail() { echo "install-local: $*" >&2; exit 1; }
command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK first."

mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"
# Build outputs go to a scratch folder, so packing never touches the repository's bin/obj (a build or test
# running in the repository at the same time is not disturbed).
work="$(mktemp -d "${TMPDIR:-/tmp}/agentscript-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

version="$(dotnet msbuild "$repo/src/AgentScript/AgentScript.csproj" -getProperty:Version)"
[ -n "$version" ] || fail "could not read the version from Directory.Build.props."
echo "AgentScript $version -> $feed"

pack() {
  echo "packing $1"
  dotnet pack "$repo/$1" -c Release -o "$feed" --artifacts-path "$work/artifacts" -p:ContinuousIntegrationBuild=true \
    -nologo -v:quiet -clp:NoSummary >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "packing $1 failed (output above)."; }
}
pack src/AgentScript/AgentScript.csproj
pack src/AgentScript.Cli/AgentScript.Cli.csproj
pack templates/AgentScript.Templates.csproj

# A re-pack keeps the same version number, and NuGet never re-reads a version it has cached: drop the cached
# copies of our own packages so the next restore takes the fresh ones from the feed.
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')}"
for id in agentscript agentscript.cli agentscript.templates; do
  [ -n "$packages" ] && rm -rf "${packages%/}/$id/$version"
done

# Register the feed in the user-wide NuGet.Config (run from the scratch folder so no repository nuget.config
# is picked up). Listing first makes NuGet create its default config (with nuget.org) if there is none yet.
(
  cd "$work"
  dotnet nuget list source >/dev/null
  if dotnet nuget list source | grep -q "^ *[0-9]*\. *$source_name \["; then
    dotnet nuget update source "$source_name" --source "$feed" >/dev/null
    dotnet nuget enable source "$source_name" >/dev/null
  elif ! dotnet nuget list source --format short | awk '{print $2}' | grep -qx "$feed"; then
    dotnet nuget add source "$feed" --name "$source_name" >/dev/null
  fi
)
echo "NuGet source '$source_name' -> $feed"

dotnet new install "$feed/AgentScript.Templates.$version.nupkg" --force >/dev/null \
  || fail "installing the templates failed: dotnet new install $feed/AgentScript.Templates.$version.nupkg"
echo "templates installed: dotnet new agentscript, dotnet new agentscript-file"

# Uninstall first: `dotnet tool update` to the same version would keep the old binaries.
if dotnet tool list --global | awk 'NR>2 {print $1}' | grep -qix "agentscript.cli"; then
  dotnet tool uninstall --global AgentScript.Cli >/dev/null
fi
(cd "$work" && dotnet tool install --global AgentScript.Cli --version "$version" --add-source "$feed" >/dev/null) \
  || fail "installing the agentlog tool failed: dotnet tool install --global AgentScript.Cli --version $version --add-source $feed"

tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
echo "agentlog installed in $tools"
case ":$PATH:" in
  *":$tools:"*) ;;
  *) echo "note: add the .NET tools folder to PATH to call agentlog:  export PATH=\"\$PATH:$tools\"" ;;
esac

cat <<EOF

Done. Try:
  dotnet new agentscript -n MyScript && cd MyScript && dotnet run -- debug
  agentlog runs
EOF
