#include <gtest/gtest.h>

#include "vox/service/route_access.h"

using namespace vox::service;

TEST(RouteAccess, TableOfRoutes) {
  struct Case {
    const char* method;
    const char* path;
    bool needs_key;
    bool is_job;
  };
  const Case cases[] = {
      {"GET", "/health", false, false},
      {"GET", "/ready", false, false},
      {"GET", "/metrics", false, false},
      {"GET", "/", false, false},
      {"GET", "/index.html", false, false},
      {"GET", "/assets/app.js", false, false},
      {"GET", "/v1x/models", false, false},
      {"GET", "/v1/models", true, false},
      {"GET", "/v1/audio/voices", true, false},
      {"GET", "/v1/usage", true, false},
      {"GET", "/v1", true, false},
      {"POST", "/v1/audio/transcriptions", true, true},
      {"POST", "/v1/audio/speech", true, true},
      {"POST", "/v1/audio/translations", true, true},
      {"POST", "/v1/jobs", true, true},
      {"GET", "/v1/jobs/job_1", true, false},
      {"DELETE", "/v1/jobs/job_1", true, false},
      {"GET", "/v1/nonexistent", true, false},
      {"POST", "/transcribe", true, true},
      {"POST", "/speak", true, true},
      {"GET", "/transcribe", true, false},
      {"OPTIONS", "/v1/models", true, false},
  };
  for (const auto& c : cases) {
    auto a = classify_route(c.method, c.path);
    EXPECT_EQ(a.needs_key, c.needs_key) << c.method << " " << c.path;
    EXPECT_EQ(a.is_job, c.is_job) << c.method << " " << c.path;
  }
}
