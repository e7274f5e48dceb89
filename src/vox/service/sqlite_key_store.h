// KeyStore in one SQLite file (WAL mode, so `vox keys` and a running server can share it).
#pragma once

#include <memory>
#include <string>

#include "vox/service/key_store.h"

namespace vox::service {

Result<std::unique_ptr<KeyStore>> open_sqlite_key_store(const std::string& path);

}  // namespace vox::service
