#include "platform/http/session.hpp"

namespace zocalo::http {

void Session::ensure_loaded() {
  if (loaded_) return;
  loaded_ = true;
  // A freshly minted id has nothing stored yet: asking would cost a query for nothing.
  if (backend_ == nullptr || id_.empty() || is_new_) return;
  if (auto stored = backend_->load(id_)) values_ = std::move(*stored);
}

std::optional<std::string> Session::get(const std::string& key) {
  ensure_loaded();
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void Session::set(const std::string& key, std::string value) {
  ensure_loaded();
  auto it = values_.find(key);
  if (it != values_.end() && it->second == value) return;  // no write for an unchanged value
  values_[key] = std::move(value);
  dirty_ = true;
}

void Session::erase(const std::string& key) {
  ensure_loaded();
  if (values_.erase(key) > 0) dirty_ = true;
}

void Session::reset(std::optional<std::string> new_id) {
  // Nothing of the old data survives, so there is no point loading it.
  values_.clear();
  loaded_ = true;
  dirty_ = true;
  if (new_id && *new_id != id_) {
    // After two resets in one request only the first id was ever stored: remember that one.
    if (old_id_.empty() && !id_.empty()) old_id_ = id_;
    id_ = std::move(*new_id);
    is_new_ = true;  // the browser must be sent the new id
  }
}

void Session::commit() {
  if (backend_ == nullptr || !dirty_) return;
  if (!old_id_.empty() && !old_destroyed_) {
    backend_->destroy(old_id_);
    old_destroyed_ = true;
  }
  if (!id_.empty()) {
    if (!values_.empty()) {
      backend_->save(id_, values_);
    } else if (!is_new_) {
      backend_->destroy(id_);  // signed out, or every key erased: nothing left to keep
    }
  }
  dirty_ = false;
}

}  // namespace zocalo::http
