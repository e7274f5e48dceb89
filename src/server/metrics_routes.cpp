// GET /metrics: the Prometheus scrape endpoint (open, like /health).
#include "server/gate.h"

namespace vox::server {

std::vector<Route> metrics_routes(service::MetricsRegistry& registry) {
  return {{"GET", "/metrics", [&registry](const HttpRequest&) {
             HttpReply r;
             r.content_type = service::MetricsRegistry::kContentType;
             r.body = registry.render();
             r.headers.emplace_back("Cache-Control", "no-store");
             return r;
           }}};
}

}  // namespace vox::server
