// Prometheus text format 0.0.4 rendering, checked line by line.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "vox/service/metrics.h"
#include "vox/service/service_metrics.h"

using namespace vox::service;

TEST(Metrics, CounterRendering) {
  MetricsRegistry r;
  auto& c = r.counter("vox_things_total", "Things counted.", {"kind", "status"});
  c.inc({"a", "200"});
  c.inc({"a", "200"}, 2.5);
  c.inc({"b", "404"});
  c.inc({"b", "404"}, -5);  // ignored: counters never go down
  EXPECT_EQ(r.render(),
            "# HELP vox_things_total Things counted.\n"
            "# TYPE vox_things_total counter\n"
            "vox_things_total{kind=\"a\",status=\"200\"} 3.5\n"
            "vox_things_total{kind=\"b\",status=\"404\"} 1\n");
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  MetricsRegistry r;
  r.counter("x_total", "Line one\nback\\slash", {"v"}).inc({"say \"hi\"\\\n"});
  EXPECT_EQ(r.render(),
            "# HELP x_total Line one\\nback\\\\slash\n"
            "# TYPE x_total counter\n"
            "x_total{v=\"say \\\"hi\\\"\\\\\\n\"} 1\n");
}

TEST(Metrics, GaugeWithSamplerAndUnlabelled) {
  MetricsRegistry r;
  auto& g = r.gauge("vox_jobs", "Jobs.", {"state"});
  g.set_sampler([] { return std::vector<std::pair<LabelValues, double>>{{{"queued"}, 2}, {{"running"}, 1}}; });
  auto& q = r.gauge("vox_depth", "Depth.");
  q.set({}, 4);
  q.add({}, -1);
  EXPECT_EQ(r.render(),
            "# HELP vox_depth Depth.\n# TYPE vox_depth gauge\nvox_depth 3\n"
            "# HELP vox_jobs Jobs.\n# TYPE vox_jobs gauge\n"
            "vox_jobs{state=\"queued\"} 2\nvox_jobs{state=\"running\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeAndInclusive) {
  MetricsRegistry r;
  auto& h = r.histogram("lat_seconds", "Latency.", {"route"}, {1, 0.1, 0.5});
  for (double v : {0.05, 0.1, 0.3, 0.7, 2.0}) h.observe({"/x"}, v);
  EXPECT_EQ(r.render(),
            std::string("# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n")+
            "lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{route=\"/x\",le=\"0.5\"} 3\n"
            "lat_seconds_bucket{route=\"/x\",le=\"1\"} 4\n"
            "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 5\n"
            "lat_seconds_sum{route=\"/x\"} " + format_metric_value(0.05 + 0.1 + 0.3 + 0.7 + 2.0) + "\n"
            "lat_seconds_count{route=\"/x\"} 5\n");
}

TEST(Metrics, ValueFormatting) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(0.1), "0.1");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(INFINITY), "+Inf");
  EXPECT_EQ(format_metric_value(-INFINITY), "-Inf");
  EXPECT_EQ(format_metric_value(NAN), "NaN");
}

TEST(Metrics, SameNameReturnsSameFamilyAndKindClashIsDetached) {
  MetricsRegistry r;
  auto& a = r.counter("n_total", "N.");
  auto& b = r.counter("n_total", "N.");
  EXPECT_EQ(&a, &b);
  auto& g = r.gauge("n_total", "clash");
  g.set({}, 9);
  EXPECT_EQ(r.render().find("gauge"), std::string::npos);
}

TEST(Metrics, ConcurrentIncrementsAreAllCounted) {
  MetricsRegistry r;
  auto& c = r.counter("c_total", "C.", {"t"});
  auto& h = r.histogram("h", "H.", {}, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        c.inc({"x"});
        h.observe({}, 0.5);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value({"x"}), 4000);
  EXPECT_EQ(h.count(), 4000u);
}

TEST(ServiceMetrics, RouteLabelsUsePatterns) {
  MetricsRegistry r;
  ServiceMetrics m(r);
  m.add_route("/v1/jobs/{id}");
  m.add_route("/v1/jobs/stats");
  m.add_route("/health");
  EXPECT_EQ(m.route_label("/v1/jobs/job_123"), "/v1/jobs/{id}");
  EXPECT_EQ(m.route_label("/v1/jobs/stats"), "/v1/jobs/stats");
  EXPECT_EQ(m.route_label("/health"), "/health");
  EXPECT_EQ(m.route_label("/v1/nope"), "unmatched");
  EXPECT_EQ(m.route_label("/v1/jobs/"), "unmatched");
  EXPECT_EQ(m.route_label("/assets/app.js"), "static");
}

TEST(ServiceMetrics, RequestsTranscriptionsAndSamplersAppearInTheScrape) {
  MetricsRegistry r;
  ServiceMetrics m(r);
  m.add_route("/v1/audio/transcriptions");
  m.request_finished("POST", "/v1/audio/transcriptions", 200, 0.2);
  m.transcription_finished("sphinx", 10, 3);
  m.set_queue_depth_sampler([] { return 7.0; });
  m.set_jobs_sampler([] { return std::vector<std::pair<std::string, double>>{{"running", 2}}; });
  std::string text = r.render();
  for (const char* line : {"vox_http_requests_total{method=\"POST\",route=\"/v1/audio/transcriptions\",status=\"200\"} 1\n",
                           "vox_http_request_duration_seconds_bucket{route=\"/v1/audio/transcriptions\",le=\"0.25\"} 1\n",
                           "vox_audio_seconds_processed_total{engine=\"sphinx\"} 10\n",
                           "vox_realtime_factor_bucket{engine=\"sphinx\",le=\"0.3\"} 1\n",
                           "vox_realtime_factor_bucket{engine=\"sphinx\",le=\"0.2\"} 0\n",
                           "vox_queue_depth 7\n", "vox_jobs{state=\"running\"} 2\n", "vox_workers 0\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n---\n" << text;
}
