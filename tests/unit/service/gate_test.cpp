// The HTTP gate, table-driven over routes, with a real SQLite store and a hand-driven clock.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/gate.h"
#include "vox/service/api_key.h"
#include "vox/service/sqlite_key_store.h"

using namespace vox;
using namespace vox::server;
using namespace vox::service;

namespace {

struct Req {
  std::string method, path;
  std::map<std::string, std::string> headers;
  std::multimap<std::string, std::string> query;

  HttpRequest build() const {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.query = query;
    auto h = headers;
    r.header = [h](const std::string& name) {
      for (const auto& [k, v] : h)
        if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
      return std::string();
    };
    return r;
  }
};

std::string header(const HttpReply& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<absent>";
}

class GateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("vox-gate-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    ServiceConfig config;
    config.data_dir = dir_.string();
    config.cors_origins = {"https://app.example"};
    auto store = open_sqlite_key_store((dir_ / "vox.db").string());
    ASSERT_TRUE(store) << store.error().message;
    services_ = make_services(config, std::move(*store), make_local_rate_limiter([this] { return now_; }));
    gate_ = std::make_unique<Gate>(*services_);
  }
  void TearDown() override {
    gate_.reset();
    services_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Creates a key the way `vox keys create` does and returns the secret.
  std::string add_key(const std::string& name, KeyLimits limits = {}) {
    auto secret = generate_api_key();
    EXPECT_TRUE(secret);
    ApiKey k;
    k.name = name;
    k.hash = sha256_hex(*secret);
    k.id = key_id_for_hash(k.hash);
    k.created_s = 1;
    k.limits = limits;
    EXPECT_TRUE(services_->keys->add(k));
    return *secret;
  }

  // Runs one request through before(); returns the early status, or 0 when it would reach the route.
  int status_of(const Req& req) {
    HttpRequest r = req.build();
    auto reply = gate_->before(r);
    int status = reply ? reply->status : 0;
    gate_->on_complete(r, reply ? reply->status : 200, 0.001);
    return status;
  }

  static Req get(const std::string& path, const std::string& key = "") {
    Req r{"GET", path, {}, {}};
    if (!key.empty()) r.headers["Authorization"] = "Bearer " + key;
    return r;
  }
  static Req post(const std::string& path, const std::string& key = "") {
    Req r = get(path, key);
    r.method = "POST";
    return r;
  }

  double now_ = 1000;
  std::filesystem::path dir_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<Gate> gate_;
};

const std::vector<std::pair<std::string, std::string>> kProtected = {
    {"GET", "/v1/models"},          {"POST", "/v1/audio/transcriptions"}, {"POST", "/v1/audio/speech"},
    {"GET", "/v1/audio/voices"},    {"GET", "/v1/usage"},                 {"POST", "/transcribe"},
    {"POST", "/speak"},             {"GET", "/v1/jobs/job_1"}};
const std::vector<std::pair<std::string, std::string>> kOpen = {
    {"GET", "/health"}, {"GET", "/ready"}, {"GET", "/metrics"}, {"GET", "/"}, {"GET", "/assets/app.js"}};

TEST_F(GateTest, WithoutAnyKeyEverythingIsOpen) {
  for (const auto& [m, p] : kProtected) EXPECT_EQ(status_of({m, p, {}, {}}), 0) << m << " " << p;
  for (const auto& [m, p] : kOpen) EXPECT_EQ(status_of({m, p, {}, {}}), 0) << m << " " << p;
}

TEST_F(GateTest, OnceAKeyExistsProtectedRoutesNeedIt) {
  std::string good = add_key("good");
  std::string revoked = add_key("old");
  ASSERT_TRUE(services_->keys->revoke("old"));
  for (const auto& [m, p] : kProtected) {
    SCOPED_TRACE(m + " " + p);
    Req none{m, p, {}, {}};
    Req wrong{m, p, {{"Authorization", "Bearer vox_wrongwrongwrong"}}, {}};
    Req old{m, p, {{"Authorization", "Bearer " + revoked}}, {}};
    Req basic{m, p, {{"Authorization", "Basic " + good}}, {}};
    Req ok{m, p, {{"Authorization", "Bearer " + good}}, {}};
    EXPECT_EQ(status_of(none), 401);
    EXPECT_EQ(status_of(wrong), 401);
    EXPECT_EQ(status_of(old), 401);
    EXPECT_EQ(status_of(basic), 401);
    EXPECT_EQ(status_of(ok), 0);
  }
  for (const auto& [m, p] : kOpen) EXPECT_EQ(status_of({m, p, {}, {}}), 0) << m << " " << p;
}

TEST_F(GateTest, RevokingTheLastKeyLocksRatherThanOpens) {
  std::string only = add_key("only");
  EXPECT_EQ(status_of(get("/v1/models", only)), 0);
  ASSERT_TRUE(services_->keys->revoke("only"));
  EXPECT_EQ(status_of(get("/v1/models", only)), 401);
  EXPECT_EQ(status_of(get("/v1/models")), 401);
  EXPECT_EQ(status_of(get("/health")), 0);
}

TEST_F(GateTest, UnauthorizedReplyHasOpenAiShape) {
  add_key("k");
  auto reply = gate_->before(get("/v1/models").build());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 401);
  EXPECT_EQ(header(*reply, "WWW-Authenticate"), "Bearer");
  auto j = nlohmann::json::parse(reply->body);
  EXPECT_EQ(j["error"]["type"], "authentication_error");
  EXPECT_EQ(j["error"]["code"], "invalid_api_key");
  EXPECT_TRUE(j["error"].contains("param"));
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
}

TEST_F(GateTest, RequestsPerMinuteGive429WithRetryAfterThenRecover) {
  std::string key = add_key("slow", {2, 0, 0});
  EXPECT_EQ(status_of(get("/v1/models", key)), 0);
  EXPECT_EQ(status_of(get("/v1/audio/voices", key)), 0);
  auto reply = gate_->before(get("/v1/models", key).build());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 429);
  EXPECT_EQ(header(*reply, "Retry-After"), "30");  // 2 per minute: one every 30 s
  EXPECT_EQ(nlohmann::json::parse(reply->body)["error"]["type"], "rate_limit_error");
  EXPECT_EQ(status_of(get("/health")), 0);  // open routes are never limited
  now_ += 29;
  EXPECT_EQ(status_of(get("/v1/models", key)), 429);
  now_ += 1.5;
  EXPECT_EQ(status_of(get("/v1/models", key)), 0);
  std::string other = add_key("other", {2, 0, 0});
  EXPECT_EQ(status_of(get("/v1/models", other)), 0);  // limits are per key
}

TEST_F(GateTest, ServerDefaultRpmAppliesToKeysWithoutTheirOwn) {
  services_->config.default_rpm = 1;
  services_->access = std::make_unique<AccessControl>(services_->config, *services_->keys, *services_->limiter,
                                                      services_->metrics);
  std::string key = add_key("defaulted");
  EXPECT_EQ(status_of(get("/v1/models", key)), 0);
  EXPECT_EQ(status_of(get("/v1/models", key)), 429);
}

TEST_F(GateTest, AudioSecondsAreChargedAfterTheWork) {
  std::string key = add_key("audio", {0, 60, 0});
  std::string id = key_id_for_hash(sha256_hex(key));
  EXPECT_EQ(status_of(post("/v1/audio/transcriptions", key)), 0);
  gate_->record_transcription(id, "sphinx", 120, 12);  // 60 s over the hourly budget
  auto reply = gate_->before(post("/v1/audio/transcriptions", key).build());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 429);
  EXPECT_EQ(header(*reply, "Retry-After"), "3600");  // 60 s of debt at 60 s per hour
  EXPECT_EQ(status_of(get("/v1/models", key)), 0);  // only new work waits
  now_ += 3601;
  EXPECT_EQ(status_of(post("/v1/audio/transcriptions", key)), 0);
}

TEST_F(GateTest, ConcurrentJobsAreLimitedUntilOnComplete) {
  std::string key = add_key("conc", {0, 0, 1});
  HttpRequest first = post("/v1/audio/speech", key).build();
  ASSERT_FALSE(gate_->before(first));  // holds the only slot on this thread
  int second = -1;
  std::thread([&] { second = status_of(post("/v1/audio/transcriptions", key)); }).join();
  EXPECT_EQ(second, 429);
  EXPECT_EQ(status_of(get("/v1/models", key)), 0);  // not a job: no slot needed
  gate_->on_complete(first, 200, 0.5);
  int third = -1;
  std::thread([&] { third = status_of(post("/v1/audio/transcriptions", key)); }).join();
  EXPECT_EQ(third, 0);
}

TEST_F(GateTest, UsageIsRecordedAndServed) {
  std::string key = add_key("counted");
  std::string id = key_id_for_hash(sha256_hex(key));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(status_of(get("/v1/models", key)), 0);
  gate_->record_transcription(id, "sphinx", 12.5, 2);
  gate_->record_speech(id, "flite", 42, 3, 0.1);
  gate_->record_transcription("", "sphinx", 5, 1);  // anonymous: metrics only
  Req usage_req = get("/v1/usage", key);
  ASSERT_EQ(status_of(usage_req), 0);  // the usage request itself counts too
  auto routes = usage_routes(*gate_);
  ASSERT_EQ(routes.size(), 1u);
  HttpReply reply = routes[0].handler(usage_req.build());
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto j = nlohmann::json::parse(reply.body);
  EXPECT_EQ(j["key"]["name"], "counted");
  EXPECT_EQ(j["key"]["id"], id);
  EXPECT_EQ(j["total"]["requests"], 4);
  EXPECT_DOUBLE_EQ(j["total"]["audio_seconds"].get<double>(), 12.5);
  EXPECT_EQ(j["total"]["characters"], 42);
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["date"], utc_day(std::time(nullptr)));
  EXPECT_EQ(gate_->caller_key_id(usage_req.build()), id);
  EXPECT_EQ(gate_->caller_key_id(get("/v1/usage", "vox_nope").build()), "");

  Req bad = usage_req;
  bad.query.emplace("start_date", "yesterday");
  EXPECT_EQ(routes[0].handler(bad.build()).status, 400);
}

TEST_F(GateTest, PreflightNeedsNoKeyAndOnlyAllowedOriginsGetCorsHeaders) {
  add_key("k");
  Req pre{"OPTIONS", "/v1/audio/transcriptions",
          {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"},
           {"Access-Control-Request-Headers", "authorization"}},
          {}};
  auto reply = gate_->before(pre.build());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 204);
  EXPECT_EQ(header(*reply, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(*reply, "Access-Control-Allow-Headers"), "authorization");
  size_t before_after = reply->headers.size();
  gate_->after(pre.build(), *reply);  // the adapter runs after() on early replies too
  EXPECT_EQ(reply->headers.size(), before_after) << "no duplicate CORS headers on a preflight";

  pre.headers["Origin"] = "https://evil.example";
  reply = gate_->before(pre.build());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 403);
  EXPECT_EQ(header(*reply, "Access-Control-Allow-Origin"), "<absent>");

  // Errors carry CORS headers too, so a browser page can read the 401.
  Req plain = get("/v1/models");
  plain.headers["Origin"] = "https://app.example";
  HttpRequest r = plain.build();
  auto denied = gate_->before(r);
  ASSERT_TRUE(denied);
  gate_->after(r, *denied);
  EXPECT_EQ(header(*denied, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(*denied, "Vary"), "Origin");
  plain.headers["Origin"] = "https://evil.example";
  HttpReply other;
  gate_->after(plain.build(), other);
  EXPECT_EQ(header(other, "Access-Control-Allow-Origin"), "<absent>");
}

TEST_F(GateTest, OnCompleteFeedsTheMetrics) {
  services_->metrics.add_route("/v1/models");
  std::string key = add_key("m");
  status_of(get("/v1/models"));
  status_of(get("/v1/models", key));
  std::string text = services_->registry.render();
  EXPECT_NE(text.find("vox_http_requests_total{method=\"GET\",route=\"/v1/models\",status=\"401\"} 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("vox_http_requests_total{method=\"GET\",route=\"/v1/models\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(text.find("vox_auth_failures_total{reason=\"missing\"} 1"), std::string::npos);
  auto metrics = metrics_routes(services_->registry);
  ASSERT_EQ(metrics.size(), 1u);
  HttpReply scrape = metrics[0].handler(get("/metrics").build());
  EXPECT_EQ(scrape.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(scrape.body.find("# TYPE vox_http_request_duration_seconds histogram"), std::string::npos);
}

// A store that always fails: the gate must refuse (fail closed), not wave requests through.
class BrokenStore final : public KeyStore {
 public:
  Error err() const { return Error(ErrorCode::kIo, "disk on fire"); }
  Status add(const ApiKey&) override { return err(); }
  Result<std::optional<ApiKey>> find_by_hash(const std::string&) override { return err(); }
  Result<std::optional<ApiKey>> find_by_id(const std::string&) override { return err(); }
  Result<std::vector<ApiKey>> list() override { return err(); }
  Status revoke(const std::string&) override { return err(); }
  Result<bool> has_keys() override { return err(); }
  Status record_usage(const std::string&, const std::string&, const UsageDelta&, std::int64_t) override { return err(); }
  Result<std::vector<DailyUsage>> usage(const std::string&, const std::string&, const std::string&) override {
    return err();
  }
};

TEST(GateFailure, StoreErrorsFailClosedWith503) {
  auto services = make_services(ServiceConfig{}, std::make_unique<BrokenStore>(), make_local_rate_limiter());
  Gate gate(*services);
  Req r{"GET", "/v1/models", {{"Authorization", "Bearer vox_x"}}, {}};
  auto reply = gate.before(r.build());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 503);
  Req open{"GET", "/health", {}, {}};
  EXPECT_FALSE(gate.before(open.build()));
}

}  // namespace
