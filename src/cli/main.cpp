// vox: speech to speaker-labelled text and text to speech. Subcommand dispatch only.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace {

const char* kUsage =
    "usage: vox <command> [options]\n"
    "\n"
    "commands:\n"
    "  transcribe FILE...   speech to text (any audio or video file)\n"
    "  listen URL FILE      stream a file to a realtime server as live audio; prints partials and finals\n"
    "  serve                OpenAI-compatible HTTP server\n"
    "  worker               run queued jobs from a shared queue (vox serve --queue)\n"
    "  speak [TEXT]         text to speech (TEXT from stdin when not given)\n"
    "  voices               list the installed voices\n"
    "  keys                 create, list and revoke API keys\n"
    "  models               list, download (pull) and remove neural models\n"
    "\n"
    "vox <command> --help shows the options of a command; vox --version prints the version.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::printf("vox %s\n", VOX_VERSION);
    return 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "transcribe") return vox::cli::run_transcribe(args);
  if (command == "listen") return vox::cli::run_listen(args);
  if (command == "serve") return vox::cli::run_serve(args);
  if (command == "worker") return vox::cli::run_worker(args);
  if (command == "speak") return vox::cli::run_speak(args);
  if (command == "voices") return vox::cli::run_voices(args);
  if (command == "keys") return vox::cli::run_keys(args);
  if (command == "models") return vox::cli::run_models(args);
  std::fprintf(stderr, "vox: unknown command '%s' (try vox --help)\n", command.c_str());
  return 2;
}
