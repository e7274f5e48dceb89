#include <gtest/gtest.h>

#include <algorithm>

#include "vox/service/cors_policy.h"

using namespace vox::service;

namespace {

std::string header(const HeaderList& h, const std::string& name) {
  auto it = std::find_if(h.begin(), h.end(), [&](const auto& p) { return p.first == name; });
  return it == h.end() ? "<absent>" : it->second;
}

}  // namespace

TEST(Cors, ExactOriginsOnly) {
  CorsPolicy p({"https://app.example", "http://localhost:5173/"});
  EXPECT_TRUE(p.allows_origin("https://app.example"));
  EXPECT_TRUE(p.allows_origin("http://localhost:5173"));  // trailing slash in config ignored
  EXPECT_FALSE(p.allows_origin("https://app.example.evil"));
  EXPECT_FALSE(p.allows_origin("https://evil.app.example"));
  EXPECT_FALSE(p.allows_origin("http://app.example"));
  EXPECT_FALSE(p.allows_origin("null"));
  EXPECT_FALSE(p.allows_origin(""));
}

TEST(Cors, NoOriginsConfiguredMeansNoHeaders) {
  CorsPolicy p({});
  EXPECT_FALSE(p.enabled());
  EXPECT_TRUE(p.response_headers("https://app.example").empty());
  EXPECT_EQ(p.preflight("https://app.example", "POST", "").status, 403);
}

TEST(Cors, ResponseHeadersForAllowedAndOtherOrigins) {
  CorsPolicy p({"https://app.example"});
  auto ok = p.response_headers("https://app.example");
  EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(ok, "Vary"), "Origin");
  EXPECT_NE(header(ok, "Access-Control-Expose-Headers").find("Retry-After"), std::string::npos);
  auto other = p.response_headers("https://evil.example");
  EXPECT_EQ(header(other, "Access-Control-Allow-Origin"), "<absent>");
  EXPECT_EQ(header(other, "Vary"), "Origin");  // caches must not reuse one origin's answer for another
  EXPECT_EQ(header(p.response_headers(""), "Access-Control-Allow-Origin"), "<absent>");
}

TEST(Cors, WildcardOnlyWhenConfigured) {
  CorsPolicy p({"*"});
  EXPECT_TRUE(p.allows_origin("https://anything.example"));
  auto h = p.response_headers("https://anything.example");
  EXPECT_EQ(header(h, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(h, "Vary"), "<absent>");
}

TEST(Cors, PreflightDecisions) {
  CorsPolicy p({"https://app.example"});
  EXPECT_TRUE(CorsPolicy::is_preflight("OPTIONS", "https://app.example", "POST"));
  EXPECT_FALSE(CorsPolicy::is_preflight("OPTIONS", "https://app.example", ""));
  EXPECT_FALSE(CorsPolicy::is_preflight("OPTIONS", "", "POST"));
  EXPECT_FALSE(CorsPolicy::is_preflight("POST", "https://app.example", "POST"));

  auto ok = p.preflight("https://app.example", "POST", "authorization, content-type, x-stainless-os");
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(header(ok.headers, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(ok.headers, "Access-Control-Allow-Methods"), "GET, POST, DELETE, OPTIONS");
  EXPECT_EQ(header(ok.headers, "Access-Control-Allow-Headers"), "authorization, content-type, x-stainless-os");
  EXPECT_EQ(header(ok.headers, "Access-Control-Max-Age"), "600");
  EXPECT_NE(header(ok.headers, "Vary").find("Origin"), std::string::npos);

  auto no_headers = p.preflight("https://app.example", "GET", "");
  EXPECT_EQ(header(no_headers.headers, "Access-Control-Allow-Headers"), "Authorization, Content-Type");
  auto odd = p.preflight("https://app.example", "GET", "x-a\r\nSet-Cookie: y");
  EXPECT_EQ(header(odd.headers, "Access-Control-Allow-Headers"), "Authorization, Content-Type");

  auto bad_origin = p.preflight("https://evil.example", "POST", "authorization");
  EXPECT_EQ(bad_origin.status, 403);
  EXPECT_EQ(header(bad_origin.headers, "Access-Control-Allow-Origin"), "<absent>");
  EXPECT_EQ(p.preflight("https://app.example", "PATCH", "").status, 403);
}
