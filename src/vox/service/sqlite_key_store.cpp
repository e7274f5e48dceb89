#include "vox/service/sqlite_key_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "vox/service/api_key.h"

namespace vox::service {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS api_keys(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_used INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0,
  rpm REAL NOT NULL DEFAULT 0,
  audio_seconds_per_hour REAL NOT NULL DEFAULT 0,
  concurrent INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_active_name ON api_keys(name) WHERE revoked = 0;
CREATE TABLE IF NOT EXISTS key_usage(
  key_id TEXT NOT NULL,
  day TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  audio_seconds REAL NOT NULL DEFAULT 0,
  characters INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(key_id, day));
)sql";

constexpr const char* kKeyColumns = "id, name, hash, created, last_used, revoked, rpm, audio_seconds_per_hour, concurrent";

// One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

ApiKey key_from_row(const Statement& s) {
  ApiKey k;
  k.id = s.text(0);
  k.name = s.text(1);
  k.hash = s.text(2);
  k.created_s = s.integer(3);
  k.last_used_s = s.integer(4);
  k.revoked = s.integer(5) != 0;
  k.limits.rpm = s.real(6);
  k.limits.audio_seconds_per_hour = s.real(7);
  k.limits.concurrent = int(s.integer(8));
  return k;
}

class SqliteKeyStore final : public KeyStore {
 public:
  explicit SqliteKeyStore(sqlite3* db) : db_(db) {}
  ~SqliteKeyStore() override { sqlite3_close(db_); }

  Status add(const ApiKey& key) override {
    std::lock_guard lock(mu_);
    Statement s(db_, "INSERT INTO api_keys(id, name, hash, created, last_used, revoked, rpm, audio_seconds_per_hour, "
                     "concurrent) VALUES(?, ?, ?, ?, 0, 0, ?, ?, ?)");
    if (!s.prepared()) return db_error("prepare insert");
    s.bind(1, key.id).bind(2, key.name).bind(3, key.hash).bind(4, key.created_s);
    s.bind(5, key.limits.rpm).bind(6, key.limits.audio_seconds_per_hour).bind(7, std::int64_t(key.limits.concurrent));
    int rc = s.step();
    if (rc == SQLITE_CONSTRAINT || sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_UNIQUE)
      return Error(ErrorCode::kInvalidArgument, "an active key named '" + key.name + "' already exists", "name");
    if (rc != SQLITE_DONE) return db_error("insert key");
    return Status::Ok();
  }

  Result<std::optional<ApiKey>> find_by_hash(const std::string& hash) override {
    if (hash.size() < 16) return std::optional<ApiKey>();
    auto found = find_by_id(key_id_for_hash(hash));
    if (!found || !*found) return found;
    // The id is only a prefix of the hash: the whole hash decides, without an early exit.
    if (!constant_time_equal((*found)->hash, hash)) return std::optional<ApiKey>();
    return found;
  }

  Result<std::optional<ApiKey>> find_by_id(const std::string& id) override {
    std::lock_guard lock(mu_);
    std::string sql = std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE id = ?";
    Statement s(db_, sql.c_str());
    if (!s.prepared()) return db_error("prepare lookup");
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<ApiKey>();
    if (rc != SQLITE_ROW) return db_error("look up key");
    return std::optional<ApiKey>(key_from_row(s));
  }

  Result<std::vector<ApiKey>> list() override {
    std::lock_guard lock(mu_);
    std::string sql = std::string("SELECT ") + kKeyColumns + " FROM api_keys ORDER BY created, rowid";
    Statement s(db_, sql.c_str());
    if (!s.prepared()) return db_error("prepare list");
    std::vector<ApiKey> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(key_from_row(s));
    if (rc != SQLITE_DONE) return db_error("list keys");
    return out;
  }

  Status revoke(const std::string& name) override {
    std::lock_guard lock(mu_);
    Statement s(db_, "UPDATE api_keys SET revoked = 1 WHERE name = ? AND revoked = 0");
    if (!s.prepared()) return db_error("prepare revoke");
    s.bind(1, name);
    if (s.step() != SQLITE_DONE) return db_error("revoke key");
    if (sqlite3_changes(db_) == 0) return Error(ErrorCode::kNotFound, "no active key named '" + name + "'", "name");
    return Status::Ok();
  }

  Result<bool> has_keys() override {
    std::lock_guard lock(mu_);
    Statement s(db_, "SELECT EXISTS(SELECT 1 FROM api_keys)");
    if (!s.prepared() || s.step() != SQLITE_ROW) return db_error("count keys");
    return s.integer(0) != 0;
  }

  Status record_usage(const std::string& key_id, const std::string& day, const UsageDelta& d,
                      std::int64_t now_s) override {
    std::lock_guard lock(mu_);
    Statement s(db_, "INSERT INTO key_usage(key_id, day, requests, audio_seconds, characters) VALUES(?, ?, ?, ?, ?) "
                     "ON CONFLICT(key_id, day) DO UPDATE SET requests = requests + excluded.requests, "
                     "audio_seconds = audio_seconds + excluded.audio_seconds, "
                     "characters = characters + excluded.characters");
    if (!s.prepared()) return db_error("prepare usage");
    s.bind(1, key_id).bind(2, day).bind(3, d.requests).bind(4, d.audio_seconds).bind(5, d.characters);
    if (s.step() != SQLITE_DONE) return db_error("record usage");
    if (d.requests > 0) {
      Statement u(db_, "UPDATE api_keys SET last_used = max(last_used, ?) WHERE id = ?");
      if (!u.prepared()) return db_error("prepare last-used");
      u.bind(1, now_s).bind(2, key_id);
      if (u.step() != SQLITE_DONE) return db_error("mark key used");
    }
    return Status::Ok();
  }

  Result<std::vector<DailyUsage>> usage(const std::string& key_id, const std::string& first_day,
                                        const std::string& last_day) override {
    std::lock_guard lock(mu_);
    Statement s(db_, "SELECT day, requests, audio_seconds, characters FROM key_usage "
                     "WHERE key_id = ? AND day >= ? AND day <= ? ORDER BY day");
    if (!s.prepared()) return db_error("prepare usage query");
    s.bind(1, key_id).bind(2, first_day).bind(3, last_day);
    std::vector<DailyUsage> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.integer(1), s.real(2), s.integer(3)});
    if (rc != SQLITE_DONE) return db_error("read usage");
    return out;
  }

 private:
  Error db_error(const std::string& what) const {
    return Error(ErrorCode::kIo, "key store: cannot " + what + ": " + sqlite3_errmsg(db_));
  }

  std::mutex mu_;  // one connection, used by one thread at a time
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<KeyStore>> open_sqlite_key_store(const std::string& path) {
  std::error_code ec;
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
  // Key hashes and usage are nobody else's business: a new file is readable by its owner only
  // (SQLite gives its -wal and -shm files the same mode).
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error(ErrorCode::kIo, "cannot open key store " + path + ": " + msg);
  }
  // Another process (`vox keys create` next to a running server) may hold the write lock briefly.
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, &err);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, kSchema, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    sqlite3_close(db);
    return Error(ErrorCode::kIo, "cannot initialise key store " + path + ": " + msg);
  }
  return std::unique_ptr<KeyStore>(std::make_unique<SqliteKeyStore>(db));
}

}  // namespace vox::service
