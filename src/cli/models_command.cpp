// vox models list|pull|rm: the downloadable models of the compiled-in manifest, installed into
// MODELS_DIR (--models-dir, VOX_MODELS_DIR). The logic lives in libvox (vox/models); this file
// only parses arguments and prints.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "vox/models/manifest.h"
#include "vox/models/model_store.h"

namespace vox::cli {

namespace {

const char* kModelsUsage =
    "usage: vox models list [--json]\n"
    "       vox models pull NAME...\n"
    "       vox models rm NAME...\n"
    "\n"
    "Models go to MODELS_DIR (--models-dir, VOX_MODELS_DIR; default DATA_DIR/models). A download\n"
    "that is interrupted resumes on the next pull; each file is checked against the manifest's\n"
    "SHA-256 where it has one. A transcription model is then usable as a request's `model`.\n";

int list(const std::string& models_dir, bool json) {
  nlohmann::json out = nlohmann::json::array();
  if (!json) std::printf("%-30s %-14s %-16s %-9s %-14s %s\n", "NAME", "KIND", "ENGINE", "SIZE", "STATUS", "DESCRIPTION");
  for (const auto& m : models::builtin_manifest()) {
    const bool installed = models::is_installed(m, models_dir);
    if (json) {
      out.push_back({{"name", m.name}, {"kind", m.kind}, {"engine", m.engine}, {"approx_size", m.approx_size},
                     {"installed", installed}, {"path", models::install_dir(m, models_dir)},
                     {"description", m.description}});
    } else {
      std::printf("%-30s %-14s %-16s %-9s %-14s %s\n", m.name.c_str(), m.kind.c_str(), m.engine.c_str(),
                  m.approx_size.c_str(), installed ? "installed" : "-", m.description.c_str());
    }
  }
  if (json) std::printf("%s\n", out.dump().c_str());
  else std::printf("\nmodels directory: %s\n", models_dir.c_str());
  return 0;
}

int pull(const std::string& models_dir, const std::vector<std::string>& names) {
  auto http = models::make_httplib_fetcher();
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  for (const auto& name : names) {
    const models::ModelEntry* m = models::find_model(name);
    if (!m) return fail(Error(ErrorCode::kNotFound, "no model '" + name + "' in the manifest (see vox models list)"));
    if (models::is_installed(*m, models_dir)) {
      std::fprintf(stderr, "vox: %s is already installed in %s\n", name.c_str(), models::install_dir(*m, models_dir).c_str());
      continue;
    }
    std::unique_ptr<ProgressBar> bar;
    std::string current;
    models::PullEvents events;
    events.progress = [&](const models::ModelFile& f, std::uint64_t done, std::uint64_t total) {
      if (f.path != current) {
        if (bar) bar->finish();
        current = f.path;
        bar = std::make_unique<ProgressBar>(f.path, tty);
      }
      char mb[32];
      std::snprintf(mb, sizeof mb, "%.0fMB", double(done) / 1e6);
      bar->update(mb, total ? double(done) / double(total) : 0.0);
    };
    events.note = [&](const std::string& text) {
      if (bar) bar->finish();
      std::fprintf(stderr, "vox: %s\n", text.c_str());
    };
    Status s = models::pull_model(*http, *m, models_dir, events);
    if (bar) bar->finish();
    if (!s) return fail(s.error());
    std::fprintf(stderr, "vox: installed %s in %s\n", name.c_str(), models::install_dir(*m, models_dir).c_str());
  }
  return 0;
}

int remove(const std::string& models_dir, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const models::ModelEntry* m = models::find_model(name);
    if (!m) return fail(Error(ErrorCode::kNotFound, "no model '" + name + "' in the manifest (see vox models list)"));
    if (Status s = models::remove_model(*m, models_dir); !s) return fail(s.error());
    std::fprintf(stderr, "vox: removed %s\n", name.c_str());
  }
  return 0;
}

}  // namespace

int run_models(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::printf("%s\nOptions:\n%s", kModelsUsage, config_options_help().c_str());
      return 0;
    }
  }
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());
  if (rest.empty()) {
    std::fputs(kModelsUsage, stderr);
    return 2;
  }
  const std::string verb = rest[0];
  rest.erase(rest.begin());
  const std::string& dir = config.engines.models_dir;
  if (verb == "list") {
    const bool json = !rest.empty() && rest[0] == "--json";
    if (rest.size() > (json ? 1u : 0u)) return fail(Error(ErrorCode::kInvalidArgument, "unknown option '" + rest.back() + "'"));
    return list(dir, json);
  }
  if (verb == "pull" || verb == "rm") {
    if (rest.empty()) return fail(Error(ErrorCode::kInvalidArgument, "usage: vox models " + verb + " NAME..."));
    return verb == "pull" ? pull(dir, rest) : remove(dir, rest);
  }
  return fail(Error(ErrorCode::kInvalidArgument, "unknown models command '" + verb + "' (list, pull, rm)"));
}

}  // namespace vox::cli
