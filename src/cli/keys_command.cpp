// vox keys create|list|revoke: manages the API keys in the configured key store (SQLite file in
// DATA_DIR/vox.db, or Redis with --redis). A new key is printed once; only its SHA-256 is kept.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "vox/service/api_key.h"
#include "vox/service/key_store.h"

namespace vox::cli {

namespace {

const char* kKeysUsage =
    "usage: vox keys create --name NAME [--rpm N] [--audio-seconds-per-hour N] [--concurrent N] [--json]\n"
    "       vox keys list [--json]\n"
    "       vox keys revoke NAME\n"
    "\n"
    "Keys live in DATA_DIR/vox.db (--data-dir, VOX_DATA_DIR) or in Redis (--redis URL, VOX_REDIS).\n"
    "Limits left out (or 0) use the server's defaults (--default-rpm, ...; 0 = unlimited).\n";

std::string time_text(std::int64_t t) {
  if (t <= 0) return "never";
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

Result<double> number_arg(const std::string& flag, const std::string& text, double hi) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= 0) || v > hi)
    return Error(ErrorCode::kInvalidArgument, flag + " needs a number 0.." + std::to_string(long(hi)) + ", got '" + text + "'", flag);
  return v;
}

int create(service::KeyStore& store, const std::vector<std::string>& args) {
  service::ApiKey key;
  bool json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      json = true;
      continue;
    }
    if (a != "--name" && a != "--rpm" && a != "--audio-seconds-per-hour" && a != "--concurrent")
      return fail(Error(ErrorCode::kInvalidArgument, "unknown option '" + a + "' (see vox keys --help)"));
    if (i + 1 >= args.size()) return fail(Error(ErrorCode::kInvalidArgument, a + " needs a value"));
    const std::string& v = args[++i];
    if (a == "--name") {
      key.name = v;
      continue;
    }
    auto n = number_arg(a, v, 1e12);
    if (!n) return fail(n.error());
    if (a == "--rpm") key.limits.rpm = *n;
    else if (a == "--audio-seconds-per-hour") key.limits.audio_seconds_per_hour = *n;
    else key.limits.concurrent = int(*n);
  }
  if (key.name.empty()) return fail(Error(ErrorCode::kInvalidArgument, "vox keys create needs --name NAME"));
  auto secret = service::generate_api_key();
  if (!secret) return fail(secret.error());
  key.hash = service::sha256_hex(*secret);
  key.id = service::key_id_for_hash(key.hash);
  key.created_s = std::int64_t(std::time(nullptr));
  if (Status s = store.add(key); !s) return fail(s.error());
  if (json) {
    nlohmann::json j = {{"key", *secret}, {"id", key.id}, {"name", key.name}, {"created", key.created_s}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s\n", secret->c_str());
    std::fprintf(stderr, "vox: created key '%s' (%s); it is shown only this once\n", key.name.c_str(), key.id.c_str());
  }
  return 0;
}

int list(service::KeyStore& store, const std::vector<std::string>& args) {
  bool json = !args.empty() && args[0] == "--json";
  if (args.size() > (json ? 1u : 0u)) return fail(Error(ErrorCode::kInvalidArgument, "unknown option '" + args.back() + "'"));
  auto keys = store.list();
  if (!keys) return fail(keys.error());
  nlohmann::json out = nlohmann::json::array();
  if (!json)
    std::printf("%-20s %-20s %-21s %-21s %-8s %10s %12s %12s\n", "NAME", "ID", "CREATED", "LAST USED", "STATUS",
                "REQUESTS", "AUDIO_S", "CHARACTERS");
  for (const auto& k : *keys) {
    auto days = store.usage(k.id, "0000-00-00", "9999-99-99");
    if (!days) return fail(days.error());
    auto total = service::total_usage(*days);
    if (json) {
      out.push_back({{"name", k.name}, {"id", k.id}, {"created", k.created_s}, {"last_used", k.last_used_s},
                     {"revoked", k.revoked},
                     {"limits", {{"rpm", k.limits.rpm}, {"audio_seconds_per_hour", k.limits.audio_seconds_per_hour},
                                 {"concurrent", k.limits.concurrent}}},
                     {"usage", {{"requests", total.requests}, {"audio_seconds", total.audio_seconds},
                                {"characters", total.characters}}}});
    } else {
      std::printf("%-20s %-20s %-21s %-21s %-8s %10lld %12.1f %12lld\n", k.name.c_str(), k.id.c_str(),
                  time_text(k.created_s).c_str(), time_text(k.last_used_s).c_str(), k.revoked ? "revoked" : "active",
                  static_cast<long long>(total.requests), total.audio_seconds, static_cast<long long>(total.characters));
    }
  }
  if (json) std::printf("%s\n", out.dump().c_str());
  return 0;
}

int revoke(service::KeyStore& store, const std::vector<std::string>& args) {
  if (args.size() != 1) return fail(Error(ErrorCode::kInvalidArgument, "usage: vox keys revoke NAME"));
  if (Status s = store.revoke(args[0]); !s) return fail(s.error());
  std::fprintf(stderr, "vox: revoked key '%s'\n", args[0].c_str());
  return 0;
}

}  // namespace

int run_keys(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::printf("%s\nOptions:\n%s", kKeysUsage, service::service_options_help().c_str());
      return 0;
    }
  }
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());
  service::ServiceConfig sc = service::service_config_from(config);
  std::vector<std::string> command;
  if (Status s = service::apply_service_environment(sc, [](const char* n) { return std::getenv(n); }); !s) return fail(s.error());
  if (Status s = service::apply_service_flags(sc, rest, command); !s) return fail(s.error());
  if (command.empty()) {
    std::fputs(kKeysUsage, stderr);
    return 2;
  }
  auto store = service::open_key_store(sc);
  if (!store) return fail(store.error());
  std::string verb = command[0];
  command.erase(command.begin());
  if (verb == "create") return create(**store, command);
  if (verb == "list") return list(**store, command);
  if (verb == "revoke") return revoke(**store, command);
  return fail(Error(ErrorCode::kInvalidArgument, "unknown keys command '" + verb + "' (create, list, revoke)"));
}

}  // namespace vox::cli
