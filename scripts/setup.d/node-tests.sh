# npm packages for the test clients (the official openai SDK). Sourced by scripts/setup.
if [ ! -d tests/node/node_modules/openai ]; then
  say "installing npm test clients (tests/node)"
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
