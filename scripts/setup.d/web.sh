# The web page `vox serve` serves at / (web/, React + TypeScript + Vite): installs its npm
# packages when package-lock.json changed, and builds web/dist when it is missing or older than
# the sources. Sourced by scripts/setup; quiet unless something is done or fails.
web_log=$(mktemp)
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  say "installing npm packages for the web page (web/)"
  if ! (cd web && npm ci --no-audit --no-fund --loglevel=error) >"$web_log" 2>&1; then
    tail -20 "$web_log" >&2
    rm -f "$web_log"
    say "npm ci in web/ failed"
    exit 1
  fi
fi
if [ ! -f web/dist/index.html ] ||
   [ -n "$(find web/src web/index.html web/vite.config.ts web/tsconfig.json web/package-lock.json \
             -newer web/dist/index.html -print -quit 2>/dev/null)" ]; then
  say "building the web page (web/dist)"
  if ! (cd web && npm run build) >"$web_log" 2>&1; then
    tail -20 "$web_log" >&2
    rm -f "$web_log"
    say "building the web page failed"
    exit 1
  fi
fi
rm -f "$web_log"
unset web_log
