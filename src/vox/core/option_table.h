// A table of command-line flags and environment variables for one config struct, and the one
// implementation of applying it: the core config, the service layer and the job system each own
// a table of their own fields, and all of them parse the same way.
#pragma once

#include <algorithm>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "vox/core/error.h"

namespace vox {

template <class C>
struct Option {
  std::string flag;   // "--port"
  std::string env;    // "VOX_PORT" or ""
  std::string value;  // metavar, "" for a boolean switch
  std::string help;
  std::function<Status(C&, const std::string&)> set;
};

// Environment variables of the table that are set and non-empty.
template <class C>
Status apply_option_environment(const std::vector<Option<C>>& options, C& config,
                                const std::function<const char*(const char*)>& getenv_fn) {
  for (const auto& o : options) {
    if (o.env.empty()) continue;
    const char* v = getenv_fn(o.env.c_str());
    if (!v || !*v) continue;
    if (Status s = o.set(config, v); !s) return Error(s.error().code, o.env + ": " + s.error().message, s.error().param);
  }
  return Status::Ok();
}

// "--flag value" and "--flag=value"; a switch (no metavar) takes no value. Arguments that are not
// in the table go to `rest`, in order.
template <class C>
Status apply_option_flags(const std::vector<Option<C>>& options, C& config, const std::vector<std::string>& args,
                          std::vector<std::string>& rest) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    auto it = std::find_if(options.begin(), options.end(), [&](const Option<C>& o) { return o.flag == name; });
    if (it == options.end()) {
      rest.push_back(a);
      continue;
    }
    if (!it->value.empty() && !has_value) {
      if (i + 1 >= args.size()) return Error(ErrorCode::kInvalidArgument, name + " needs a value (" + it->value + ")", name);
      value = args[++i];
    }
    if (Status s = it->set(config, value); !s) return s;
  }
  return Status::Ok();
}

// One line per option: flag, metavar, help, [env NAME].
template <class C>
std::string option_help(const std::vector<Option<C>>& options) {
  std::ostringstream out;
  for (const auto& o : options) {
    std::string left = "  " + o.flag + (o.value.empty() ? "" : " " + o.value);
    out << left << std::string(left.size() < 30 ? 30 - left.size() : 1, ' ') << o.help;
    if (!o.env.empty()) out << " [env " << o.env << "]";
    out << "\n";
  }
  return out.str();
}

}  // namespace vox
