// A small thread-safe metrics registry rendering the Prometheus text exposition format 0.0.4.
// Families are created once (at start-up) and updated from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vox::service {

using LabelValues = std::vector<std::string>;  // in the order of the family's label names

class MetricFamily {
 public:
  enum Kind { kCounter, kGauge, kHistogram };
  MetricFamily(Kind kind, std::string name, std::string help, std::vector<std::string> label_names)
      : kind_(kind), name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~MetricFamily() = default;
  Kind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  // Appends this family's HELP, TYPE and sample lines.
  void render(std::string& out) const;

 protected:
  virtual void render_samples(std::string& out) const = 0;
  std::string labels_text(const LabelValues& values, const std::string& extra = {}) const;
  LabelValues fit(const LabelValues& values) const;  // pads / trims to the label names
  mutable std::mutex mu_;

 private:
  Kind kind_;
  std::string name_, help_;
  std::vector<std::string> label_names_;
};

class Counter final : public MetricFamily {
 public:
  using MetricFamily::MetricFamily;
  void inc(const LabelValues& labels = {}, double v = 1);  // negative increments are ignored
  double value(const LabelValues& labels = {}) const;

 private:
  void render_samples(std::string& out) const override;
  std::map<LabelValues, double> values_;
};

class Gauge final : public MetricFamily {
 public:
  using Sampler = std::function<std::vector<std::pair<LabelValues, double>>()>;
  using MetricFamily::MetricFamily;
  void set(const LabelValues& labels, double v);
  void add(const LabelValues& labels, double v);
  double value(const LabelValues& labels = {}) const;
  // Read at render time instead of stored values (queue depth, jobs by state, ...).
  void set_sampler(Sampler sampler);

 private:
  void render_samples(std::string& out) const override;
  std::map<LabelValues, double> values_;
  Sampler sampler_;
};

class Histogram final : public MetricFamily {
 public:
  Histogram(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds);
  void observe(const LabelValues& labels, double v);
  std::uint64_t count(const LabelValues& labels = {}) const;

 private:
  struct Series {
    std::vector<std::uint64_t> buckets;  // per upper bound, not cumulative
    double sum = 0;
    std::uint64_t count = 0;
  };
  void render_samples(std::string& out) const override;
  std::vector<double> bounds_;  // ascending upper bounds; +Inf is implicit
  std::map<LabelValues, Series> series_;
};

class MetricsRegistry {
 public:
  // Returns the family called `name`, creating it on first use. Asking for an existing name with
  // a different kind returns a detached family (updated, never rendered) rather than failing.
  Counter& counter(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  Gauge& gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  Histogram& histogram(const std::string& name, const std::string& help, std::vector<std::string> label_names,
                       std::vector<double> bounds);
  // Every family in name order, text format 0.0.4.
  std::string render() const;
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  template <class F, class... Args>
  F& family(MetricFamily::Kind kind, const std::string& name, Args&&... args);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<MetricFamily>> families_;
  std::vector<std::unique_ptr<MetricFamily>> detached_;
};

// Prometheus number syntax: shortest round-trip decimal, +Inf, -Inf, NaN.
std::string format_metric_value(double v);

}  // namespace vox::service
