// Model downloads against a local cpp-httplib server: a complete download, resuming after an
// interrupted one (Range), a server that ignores Range, redirects, a checksum mismatch (the file
// is deleted and the error says so), no checksum in the manifest (pull says it cannot verify),
// HTTP errors; and the manifest in the repository parses.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vox/models/manifest.h"
#include "vox/models/model_store.h"

namespace vox::models {
namespace {

namespace fs = std::filesystem;

std::string payload() {
  std::string s(300000, '\0');
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = char((i * 7919u) >> 3);
  return s;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class LocalServer {
 public:
  LocalServer() : data_(payload()) {
    server_.Get("/model.bin", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
    server_.Get("/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/model.bin"); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  const std::string& data() const { return data_; }
  // The next response stops after this many bytes (a dropped connection).
  void cut_next_after(std::size_t n) { cut_ = n; }
  std::vector<std::string> ranges() {
    std::lock_guard<std::mutex> lock(mu_);
    return ranges_;
  }

 private:
  // cpp-httplib answers Range requests itself (206 and the slice) for a sized content provider.
  void serve(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ranges_.push_back(req.get_header_value("Range"));
    }
    const std::size_t cut = cut_.exchange(0);
    auto provide = [this, cut](std::size_t offset, httplib::DataSink& sink) {
      if (offset >= data_.size()) {
        sink.done();
        return true;
      }
      if (cut && offset >= cut) return false;  // drop the connection
      std::size_t n = std::min<std::size_t>(data_.size() - offset, 16384);
      if (cut) n = std::min(n, cut - offset);
      sink.write(data_.data() + offset, n);
      return true;
    };
    res.set_content_provider(data_.size(), "application/octet-stream",
                             [provide](std::size_t offset, std::size_t, httplib::DataSink& sink) { return provide(offset, sink); });
  }

  std::string data_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<std::size_t> cut_{0};
  std::mutex mu_;
  std::vector<std::string> ranges_;
};

// A one-shot HTTP/1.0-style server that ignores Range and always sends the whole file with 200
// (cpp-httplib's server cannot be made to ignore Range).
class NoRangeServer {
 public:
  explicit NoRangeServer(std::string body) : body_(std::move(body)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      std::string req;
      while (req.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, std::size_t(n));
      }
      saw_range_ = req.find("Range: bytes=") != std::string::npos;
      const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) +
                               "\r\nConnection: close\r\n\r\n";
      std::string out = head + body_;
      for (std::size_t sent = 0; sent < out.size();) {
        ssize_t n = ::send(c, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += std::size_t(n);
      }
      ::close(c);
    });
  }
  ~NoRangeServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/whole.bin"; }
  bool saw_range() const { return saw_range_; }

 private:
  std::string body_;
  int fd_ = -1, port_ = 0;
  std::atomic<bool> saw_range_{false};
  std::thread thread_;
};

class ModelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vox-models-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    sha_ = *sha256_file(write_temp(server_.data()));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_temp(const std::string& content) {
    const auto p = dir_ / "reference.bin";
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  ModelEntry entry(const std::string& path, std::optional<std::uint64_t> size, std::string sha) {
    ModelEntry m;
    m.name = "fake";
    m.kind = "transcription";
    m.engine = "nemo-ctc";
    m.dir = "fake";
    m.files.push_back({server_.url(path), "model.onnx", size, std::move(sha)});
    return m;
  }
  PullEvents recorder() {
    PullEvents ev;
    ev.note = [this](const std::string& n) { notes_.push_back(n); };
    ev.progress = [this](const ModelFile&, std::uint64_t done, std::uint64_t total) {
      last_done_ = done;
      last_total_ = total;
    };
    return ev;
  }

  LocalServer server_;
  fs::path dir_;
  std::string sha_;
  std::vector<std::string> notes_;
  std::uint64_t last_done_ = 0, last_total_ = 0;
};

TEST_F(ModelStoreTest, DownloadsVerifiesAndInstalls) {
  const auto m = entry("/model.bin", server_.data().size(), sha_);
  EXPECT_FALSE(is_installed(m, dir_.string()));
  Status s = pull_model(*make_httplib_fetcher(), m, dir_.string(), recorder());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(read(dir_ / "fake" / "model.onnx"), server_.data());
  EXPECT_FALSE(fs::exists(dir_ / "fake" / "model.onnx.part"));
  EXPECT_TRUE(is_installed(m, dir_.string()));
  EXPECT_EQ(last_done_, server_.data().size());
  EXPECT_EQ(last_total_, server_.data().size());
  EXPECT_TRUE(notes_.empty());
  ASSERT_TRUE(remove_model(m, dir_.string()).ok());
  EXPECT_FALSE(fs::exists(dir_ / "fake"));
  EXPECT_EQ(remove_model(m, dir_.string()).error().code, ErrorCode::kNotFound);
}

TEST_F(ModelStoreTest, ResumesAnInterruptedDownloadWithARangeRequest) {
  const auto m = entry("/model.bin", server_.data().size(), sha_);
  auto http = make_httplib_fetcher();
  server_.cut_next_after(100000);
  Status first = pull_model(*http, m, dir_.string(), recorder());
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kIo);
  EXPECT_NE(first.error().message.find("resume"), std::string::npos) << first.error().message;
  const auto part = dir_ / "fake" / "model.onnx.part";
  ASSERT_TRUE(fs::exists(part)) << first.error().message;
  const auto kept = fs::file_size(part);
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, server_.data().size());

  Status second = pull_model(*http, m, dir_.string(), recorder());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(read(dir_ / "fake" / "model.onnx"), server_.data());
  const auto ranges = server_.ranges();
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0], "");
  EXPECT_EQ(ranges[1], "bytes=" + std::to_string(kept) + "-");
  ASSERT_FALSE(notes_.empty());
  EXPECT_NE(notes_[0].find("resuming"), std::string::npos);
}

TEST_F(ModelStoreTest, AServerThatIgnoresRangeStartsOver) {
  NoRangeServer whole(server_.data());
  auto m = entry("/unused", std::nullopt, sha_);
  m.files[0].url = whole.url();
  fs::create_directories(dir_ / "fake");
  std::ofstream(dir_ / "fake" / "model.onnx.part", std::ios::binary) << server_.data().substr(0, 5000);
  Status s = pull_model(*make_httplib_fetcher(), m, dir_.string(), recorder());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(whole.saw_range());
  EXPECT_EQ(read(dir_ / "fake" / "model.onnx"), server_.data());
}

TEST_F(ModelStoreTest, APartialFileFromAnEarlierRunIsResumed) {
  const auto m = entry("/model.bin", server_.data().size(), sha_);
  fs::create_directories(dir_ / "fake");
  std::ofstream(dir_ / "fake" / "model.onnx.part", std::ios::binary) << server_.data().substr(0, 123457);
  Status s = pull_model(*make_httplib_fetcher(), m, dir_.string(), recorder());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(read(dir_ / "fake" / "model.onnx"), server_.data());
  ASSERT_EQ(server_.ranges().size(), 1u);
  EXPECT_EQ(server_.ranges()[0], "bytes=123457-");
}

TEST_F(ModelStoreTest, ChecksumMismatchDeletesTheDownloadAndSaysSo) {
  const std::string wrong(64, 'a');
  const auto m = entry("/moved", server_.data().size(), wrong);  // via a redirect, too
  Status s = pull_model(*make_httplib_fetcher(), m, dir_.string(), recorder());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_NE(s.error().message.find("checksum mismatch"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("deleted"), std::string::npos);
  EXPECT_NE(s.error().message.find(sha_), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "fake" / "model.onnx"));
  EXPECT_FALSE(fs::exists(dir_ / "fake" / "model.onnx.part"));
}

TEST_F(ModelStoreTest, UnknownChecksumInstallsButSaysItCannotVerify) {
  const auto m = entry("/model.bin", std::nullopt, "");
  Status s = pull_model(*make_httplib_fetcher(), m, dir_.string(), recorder());
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("cannot verify"), std::string::npos);
  EXPECT_EQ(read(dir_ / "fake" / "model.onnx"), server_.data());
}

TEST_F(ModelStoreTest, HttpErrorsAndUnreachableServersAreIoErrors) {
  auto missing = entry("/nothing-here", std::nullopt, "");
  Status s = pull_model(*make_httplib_fetcher(), missing, dir_.string(), recorder());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("HTTP 404"), std::string::npos) << s.error().message;
  ModelEntry dead = missing;
  dead.files[0].url = "http://127.0.0.1:1/model.bin";
  Status d = pull_model(*make_httplib_fetcher(), dead, dir_.string(), recorder());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kIo);
}

TEST(Manifest, TheRepositoryManifestParsesAndNamesTheRequiredModels) {
  const auto& all = builtin_manifest();
  ASSERT_GE(all.size(), 10u);
  for (const char* name : {"parakeet-tdt-0.6b-v2-int8", "parakeet-tdt-0.6b-v2", "whisper-tiny", "whisper-base",
                           "whisper-small", "pyannote-segmentation-3.0", "nemo-conformer-ctc-small-en"})
    EXPECT_NE(find_model(name), nullptr) << name;
  int piper = 0;
  for (const auto& m : all) {
    piper += m.engine == "piper";
    for (const auto& f : m.files) EXPECT_EQ(f.url.rfind("https://", 0), 0u) << m.name;
  }
  EXPECT_GE(piper, 2);
  EXPECT_EQ(find_model("pyannote-segmentation-3.0")->files[0].path, "model.onnx");
}

TEST(Manifest, MalformedManifestsAreErrors) {
  EXPECT_FALSE(parse_manifest("{").ok());
  EXPECT_FALSE(parse_manifest(R"({"models":[{"name":"x","kind":"k","engine":"e"}]})").ok());
  auto bad_path = parse_manifest(R"({"models":[{"name":"x","kind":"k","engine":"e","files":[{"url":"u","path":"../x"}]}]})");
  ASSERT_FALSE(bad_path.ok());
  EXPECT_NE(bad_path.error().message.find("relative"), std::string::npos);
  auto bad_sha = parse_manifest(R"({"models":[{"name":"x","kind":"k","engine":"e","files":[{"url":"u","path":"a","sha256":"XYZ"}]}]})");
  EXPECT_FALSE(bad_sha.ok());
}

}  // namespace
}  // namespace vox::models
