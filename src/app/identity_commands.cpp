#include "app/identity_commands.hpp"

#include <iostream>
#include <memory>

#include "app/master_key.hpp"
#include "app/runtime.hpp"
#include "identity/identity.hpp"
#include "identity/store/audit_log.hpp"
#include "platform/core/time.hpp"

namespace zocalo::app {

int rotate_keys(const Config& config) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto kek = resolve_master_key(config);
  if (!kek) {
    std::cerr << "zocalo keys rotate: " << kek.error().detail << "\n";
    return 1;
  }
  const identity::KeyEncryption encryption(std::move(*kek));
  auto rotated = identity::SigningKeyStore(*db, encryption)
                     .rotate(time::now_unix(), kMaxTokenLifetimeSeconds,
                             {.publish_ahead = kPublishAheadSeconds});
  if (!rotated) {
    std::cerr << "zocalo keys rotate: nothing changed: " << rotated.error().detail << "\n";
    return 1;
  }
  std::cout << "Rotated. New keys sign in " << kPublishAheadSeconds
            << " s; retired keys stay published for " << kMaxTokenLifetimeSeconds
            << " s after that. Keys now:\n";
  for (const auto& record : rotated->records()) {
    std::cout << "  " << identity::jose::algorithm_name(record.key.algorithm()) << " "
              << record.key.kid() << (record.retired_at ? " (retiring)" : "") << "\n";
  }
  return 0;
}

int print_new_master_key() {
  std::cout << new_master_key_text() << std::endl;
  return 0;
}

int verify_audit(const Config& config) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto check = identity::AuditLog(*db).verify();
  if (!check) {
    std::cerr << "zocalo audit verify: " << check.error().detail << "\n";
    return 1;
  }
  if (!check->ok) {
    std::cerr << "zocalo audit verify: TAMPERED: " << check->detail << " (" << check->rows_checked
              << " rows checked)\n";
    return 1;
  }
  std::cout << "Audit chain intact: " << check->rows_checked << " rows verified." << std::endl;
  return 0;
}

}  // namespace zocalo::app
