// One contract, both adapters: the SQLite file store and the Redis store must behave alike.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "redis_test_server.h"
#include "vox/service/api_key.h"
#include "vox/service/redis_key_store.h"
#include "vox/service/sqlite_key_store.h"

using namespace vox;
using namespace vox::service;

namespace {

ApiKey make_key(const std::string& name, const std::string& secret, std::int64_t created = 1000) {
  ApiKey k;
  k.name = name;
  k.hash = sha256_hex(secret);
  k.id = key_id_for_hash(k.hash);
  k.created_s = created;
  return k;
}

class KeyStoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("vox-keystore-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
      std::filesystem::remove_all(dir_);
      auto s = open_sqlite_key_store((dir_ / "vox.db").string());
      ASSERT_TRUE(s) << s.error().message;
      store_ = std::move(*s);
    } else {
      auto* server = redis_testing::RedisTestServer::get();
      if (!server) GTEST_SKIP() << "redis-server not installed";
      store_ = make_redis_key_store(server->client(), redis_testing::unique_prefix());
    }
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<KeyStore> reopen() {
    store_.reset();
    auto s = open_sqlite_key_store((dir_ / "vox.db").string());
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<KeyStore> store_;
};

TEST_P(KeyStoreContract, EmptyStoreHasNoKeys) {
  auto any = store_->has_keys();
  ASSERT_TRUE(any);
  EXPECT_FALSE(*any);
  auto none = store_->find_by_hash(sha256_hex("vox_nothing"));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(KeyStoreContract, CreateAndLookUpByHash) {
  ApiKey k = make_key("alice", "vox_alice_secret");
  k.limits = {30, 600, 2};
  ASSERT_TRUE(store_->add(k));
  EXPECT_TRUE(*store_->has_keys());
  auto found = store_->find_by_hash(sha256_hex("vox_alice_secret"));
  ASSERT_TRUE(found);
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->name, "alice");
  EXPECT_EQ((*found)->id, k.id);
  EXPECT_EQ((*found)->created_s, 1000);
  EXPECT_EQ((*found)->last_used_s, 0);
  EXPECT_FALSE((*found)->revoked);
  EXPECT_DOUBLE_EQ((*found)->limits.rpm, 30);
  EXPECT_DOUBLE_EQ((*found)->limits.audio_seconds_per_hour, 600);
  EXPECT_EQ((*found)->limits.concurrent, 2);
  EXPECT_FALSE(*store_->find_by_hash(sha256_hex("vox_alice_secreT")));
}

TEST_P(KeyStoreContract, AHashSharingTheIdPrefixIsNotAMatch) {
  ApiKey k = make_key("alice", "vox_alice_secret");
  ASSERT_TRUE(store_->add(k));
  std::string forged = k.hash;
  forged.back() = forged.back() == '0' ? '1' : '0';  // same 16-digit id, different hash
  auto r = store_->find_by_hash(forged);
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
}

TEST_P(KeyStoreContract, ActiveNamesAreUnique) {
  ASSERT_TRUE(store_->add(make_key("bob", "vox_1")));
  Status dup = store_->add(make_key("bob", "vox_2"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store_->revoke("bob"));
  EXPECT_TRUE(store_->add(make_key("bob", "vox_3")));  // the name is free again once revoked
  auto all = store_->list();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
}

TEST_P(KeyStoreContract, RevokeKeepsTheKeyButMarksIt) {
  ASSERT_TRUE(store_->add(make_key("carol", "vox_carol")));
  ASSERT_TRUE(store_->revoke("carol"));
  auto found = store_->find_by_hash(sha256_hex("vox_carol"));
  ASSERT_TRUE(found && *found);
  EXPECT_TRUE((*found)->revoked);
  EXPECT_TRUE(*store_->has_keys());  // a revoked key still counts: the server stays locked
  Status again = store_->revoke("carol");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->revoke("nobody").error().code, ErrorCode::kNotFound);
}

TEST_P(KeyStoreContract, ListIsOldestFirst) {
  ASSERT_TRUE(store_->add(make_key("late", "vox_late", 2000)));
  ASSERT_TRUE(store_->add(make_key("early", "vox_early", 1000)));
  auto all = store_->list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "early");
  EXPECT_EQ((*all)[1].name, "late");
}

TEST_P(KeyStoreContract, UsageAccumulatesPerDayAndMarksLastUsed) {
  ApiKey k = make_key("dave", "vox_dave");
  ASSERT_TRUE(store_->add(k));
  ASSERT_TRUE(store_->record_usage(k.id, "2026-01-01", {1, 0, 0}, 5000));
  ASSERT_TRUE(store_->record_usage(k.id, "2026-01-01", {1, 12.5, 0}, 6000));
  ASSERT_TRUE(store_->record_usage(k.id, "2026-01-01", {0, 0.25, 40}, 9000));  // no request: last_used stays
  ASSERT_TRUE(store_->record_usage(k.id, "2026-01-03", {2, 0, 7}, 7000));
  auto days = store_->usage(k.id, "2026-01-01", "2026-01-31");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0].day, "2026-01-01");
  EXPECT_EQ((*days)[0].requests, 2);
  EXPECT_DOUBLE_EQ((*days)[0].audio_seconds, 12.75);
  EXPECT_EQ((*days)[0].characters, 40);
  EXPECT_EQ((*days)[1].day, "2026-01-03");
  EXPECT_EQ((*days)[1].requests, 2);
  auto only_third = store_->usage(k.id, "2026-01-02", "2026-01-03");
  ASSERT_TRUE(only_third);
  ASSERT_EQ(only_third->size(), 1u);
  auto total = total_usage(*days);
  EXPECT_EQ(total.requests, 4);
  EXPECT_EQ(total.characters, 47);
  EXPECT_EQ((*store_->find_by_id(k.id))->last_used_s, 7000);
  EXPECT_TRUE(store_->usage("key_other", "2026-01-01", "2026-12-31")->empty());
}

TEST_P(KeyStoreContract, ConcurrentUsageUpdatesAreNotLost) {
  ApiKey k = make_key("erin", "vox_erin");
  ASSERT_TRUE(store_->add(k));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) ASSERT_TRUE(store_->record_usage(k.id, "2026-02-02", {1, 0.5, 3}, 100));
    });
  for (auto& t : threads) t.join();
  auto days = store_->usage(k.id, "2026-02-02", "2026-02-02");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].requests, 100);
  EXPECT_DOUBLE_EQ((*days)[0].audio_seconds, 50);
  EXPECT_EQ((*days)[0].characters, 300);
}

INSTANTIATE_TEST_SUITE_P(Adapters, KeyStoreContract, ::testing::Values("sqlite", "redis"),
                         [](const auto& info) { return info.param; });

class SqliteKeyStoreFile : public KeyStoreContract {};

TEST_P(SqliteKeyStoreFile, KeysAndUsageSurviveReopeningTheFile) {
  ApiKey k = make_key("frank", "vox_frank");
  ASSERT_TRUE(store_->add(k));
  ASSERT_TRUE(store_->add(make_key("gone", "vox_gone")));
  ASSERT_TRUE(store_->revoke("gone"));
  ASSERT_TRUE(store_->record_usage(k.id, "2026-03-03", {3, 1.5, 9}, 4242));
  store_ = reopen();
  ASSERT_TRUE(store_);
  auto found = store_->find_by_hash(sha256_hex("vox_frank"));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->last_used_s, 4242);
  EXPECT_TRUE((*store_->find_by_hash(sha256_hex("vox_gone")))->revoked);
  auto days = store_->usage(k.id, "2026-03-03", "2026-03-03");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].requests, 3);
  EXPECT_DOUBLE_EQ((*days)[0].audio_seconds, 1.5);
}

TEST_P(SqliteKeyStoreFile, NewFileIsPrivateToItsOwner) {
  auto perms = std::filesystem::status(dir_ / "vox.db").permissions();
  using P = std::filesystem::perms;
  EXPECT_EQ(perms & (P::group_all | P::others_all), P::none);
}

TEST_P(SqliteKeyStoreFile, TwoConnectionsShareTheFile) {
  // `vox keys create` writes while a server holds the file open.
  auto other = open_sqlite_key_store((dir_ / "vox.db").string());
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->add(make_key("new", "vox_new")));
  EXPECT_TRUE(*store_->has_keys());
  ASSERT_TRUE((*other)->revoke("new"));
  EXPECT_TRUE((*store_->find_by_hash(sha256_hex("vox_new")))->revoked);
}

INSTANTIATE_TEST_SUITE_P(File, SqliteKeyStoreFile, ::testing::Values("sqlite"));

TEST(SqliteKeyStore, UnwritableLocationIsAnIoError) {
  auto s = open_sqlite_key_store("/proc/vox-no-such-dir/vox.db");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
}

TEST(SqliteKeyStore, NotADatabaseIsAnIoError) {
  auto path = std::filesystem::temp_directory_path() / ("vox-garbage-" + std::to_string(getpid()) + ".db");
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("this is not an sqlite database, just text that is long enough to have a header", f);
    std::fclose(f);
  }
  auto s = open_sqlite_key_store(path.string());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  std::filesystem::remove(path);
}

}  // namespace
