#include "vox/service/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace vox::service {

namespace {

std::string escape(const std::string& s, bool quotes) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
  return out;
}

}  // namespace

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, p);
}

void MetricFamily::render(std::string& out) const {
  const char* type = kind_ == kCounter ? "counter" : kind_ == kGauge ? "gauge" : "histogram";
  out += "# HELP " + name_ + " " + escape(help_, false) + "\n";
  out += "# TYPE " + name_ + " " + type + "\n";
  render_samples(out);
}

std::string MetricFamily::labels_text(const LabelValues& values, const std::string& extra) const {
  std::string out;
  for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) {
    if (!out.empty()) out += ",";
    out += label_names_[i] + "=\"" + escape(values[i], true) + "\"";
  }
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

LabelValues MetricFamily::fit(const LabelValues& values) const {
  LabelValues v = values;
  v.resize(label_names_.size());
  return v;
}

void Counter::inc(const LabelValues& labels, double v) {
  if (!(v >= 0)) return;  // a counter only goes up (and NaN is not a number of events)
  auto key = fit(labels);
  std::lock_guard lock(mu_);
  values_[key] += v;
}

double Counter::value(const LabelValues& labels) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(fit(labels));
  return it == values_.end() ? 0 : it->second;
}

void Counter::render_samples(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [labels, v] : values_) out += name() + labels_text(labels) + " " + format_metric_value(v) + "\n";
}

void Gauge::set(const LabelValues& labels, double v) {
  auto key = fit(labels);
  std::lock_guard lock(mu_);
  values_[key] = v;
}

void Gauge::add(const LabelValues& labels, double v) {
  auto key = fit(labels);
  std::lock_guard lock(mu_);
  values_[key] += v;
}

double Gauge::value(const LabelValues& labels) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(fit(labels));
  return it == values_.end() ? 0 : it->second;
}

void Gauge::set_sampler(Sampler sampler) {
  std::lock_guard lock(mu_);
  sampler_ = std::move(sampler);
}

void Gauge::render_samples(std::string& out) const {
  Sampler sampler;
  std::map<LabelValues, double> values;
  {
    std::lock_guard lock(mu_);
    sampler = sampler_;
    values = values_;
  }
  // The sampler runs unlocked: it reads other components, which take their own locks.
  if (sampler) {
    for (const auto& [labels, v] : sampler()) values[fit(labels)] = v;
  }
  for (const auto& [labels, v] : values) out += name() + labels_text(labels) + " " + format_metric_value(v) + "\n";
}

Histogram::Histogram(std::string name, std::string help, std::vector<std::string> label_names,
                     std::vector<double> bounds)
    : MetricFamily(kHistogram, std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  bounds_.erase(std::remove_if(bounds_.begin(), bounds_.end(), [](double b) { return !std::isfinite(b); }), bounds_.end());
}

void Histogram::observe(const LabelValues& labels, double v) {
  if (std::isnan(v)) return;
  auto key = fit(labels);
  std::lock_guard lock(mu_);
  Series& s = series_[key];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);  // first bound >= v: "le" is inclusive
  if (it != bounds_.end()) ++s.buckets[size_t(it - bounds_.begin())];
  s.sum += v;
  ++s.count;
}

std::uint64_t Histogram::count(const LabelValues& labels) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(fit(labels));
  return it == series_.end() ? 0 : it->second.count;
}

void Histogram::render_samples(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [labels, s] : series_) {
    std::uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += s.buckets[i];
      out += name() + "_bucket" + labels_text(labels, "le=\"" + format_metric_value(bounds_[i]) + "\"") + " " +
             std::to_string(cumulative) + "\n";
    }
    out += name() + "_bucket" + labels_text(labels, "le=\"+Inf\"") + " " + std::to_string(s.count) + "\n";
    out += name() + "_sum" + labels_text(labels) + " " + format_metric_value(s.sum) + "\n";
    out += name() + "_count" + labels_text(labels) + " " + std::to_string(s.count) + "\n";
  }
}

template <class F, class... Args>
F& MetricsRegistry::family(MetricFamily::Kind kind, const std::string& name, Args&&... args) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    if (it->second->kind() == kind) return static_cast<F&>(*it->second);
    detached_.push_back(std::make_unique<F>(std::forward<Args>(args)...));
    return static_cast<F&>(*detached_.back());
  }
  auto& slot = families_[name];
  slot = std::make_unique<F>(std::forward<Args>(args)...);
  return static_cast<F&>(*slot);
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return family<Counter>(MetricFamily::kCounter, name, MetricFamily::kCounter, name, help, std::move(labels));
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return family<Gauge>(MetricFamily::kGauge, name, MetricFamily::kGauge, name, help, std::move(labels));
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                                      std::vector<double> bounds) {
  return family<Histogram>(MetricFamily::kHistogram, name, name, help, std::move(labels), std::move(bounds));
}

std::string MetricsRegistry::render() const {
  std::vector<const MetricFamily*> families;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, f] : families_) families.push_back(f.get());
  }
  std::string out;
  for (const auto* f : families) f->render(out);
  return out;
}

}  // namespace vox::service
