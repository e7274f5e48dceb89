// /health, /ready, /v1/models.
#include <nlohmann/json.hpp>
#include <set>

#include "server/app.h"
#include "server/http_errors.h"
#include "vox/models/manifest.h"

namespace vox::server {

namespace {

HttpReply json_reply(const nlohmann::json& j, int status = 200) {
  HttpReply r;
  r.status = status;
  r.body = j.dump();
  return r;
}

// OpenAI client libraries send these names; they select the configured default engine.
const char* const kOpenAiAliases[] = {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe",
                                      "gpt-4o-transcribe-diarize"};

}  // namespace

std::vector<Route> meta_routes(ServiceContext& ctx) {
  std::vector<Route> routes;
  routes.push_back({"GET", "/health", [](const HttpRequest&) { return json_reply({{"status", "ok"}}); }});
  routes.push_back({"GET", "/ready", [&ctx](const HttpRequest&) {
                      int state = ctx.load_state.load();
                      if (state == ServiceContext::kReady) return json_reply({{"status", "ready"}});
                      nlohmann::json j = {{"status", state == ServiceContext::kLoading ? "loading" : "failed"}};
                      if (state == ServiceContext::kFailed) j["error"] = ctx.load_error;
                      auto r = json_reply(j, 503);
                      r.headers.emplace_back("Retry-After", "1");
                      return r;
                    }});
  routes.push_back({"GET", "/v1/models", [&ctx](const HttpRequest&) {
                      nlohmann::json data = nlohmann::json::array();
                      auto add = [&](const std::string& id, const std::string& kind, const std::string& description) {
                        data.push_back({{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", "vox"},
                                        {"kind", kind}, {"description", description}});
                      };
                      const auto& reg = ctx.engines.registries();
                      // Downloadable models (vox models pull) are listed once installed, under their own names.
                      const std::string& models_dir = ctx.config.engines.models_dir;
                      std::set<std::string> listed;
                      for (const auto& e : reg.recognizers.entries()) {
                        const auto* m = models::find_model(e.name);
                        if (m && !models::is_installed(*m, models_dir)) continue;
                        add(e.name, "transcription", e.description);
                        listed.insert(e.name);
                      }
                      for (const auto& m : models::builtin_manifest())
                        if (!listed.count(m.name) && models::is_installed(m, models_dir))
                          add(m.name, m.kind, m.description + " [installed for " + m.engine + "]");
                      for (const auto& a : kOpenAiAliases)
                        add(a, "transcription", "alias of the default recogniser (" + ctx.config.engines.asr_backend + ")");
                      for (const auto& e : reg.diarizers.entries()) add(e.name, "diarization", e.description);
                      for (const auto& e : reg.synthesizers.entries()) add(e.name, "speech", e.description);
                      return json_reply({{"object", "list"}, {"data", data}});
                    }});
  return routes;
}

}  // namespace vox::server
