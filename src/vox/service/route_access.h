// Which requests need an API key, and which start engine work (count against a key's concurrent
// jobs). Everything under /v1/ and the legacy POST /transcribe and /speak routes is protected;
// /health, /ready, /metrics and the web page's static files are open.
#pragma once

#include <string>

namespace vox::service {

struct RouteAccess {
  bool needs_key = false;
  bool is_job = false;  // POST that runs engines: transcription, speech, job submission
};

RouteAccess classify_route(const std::string& method, const std::string& path);

}  // namespace vox::service
