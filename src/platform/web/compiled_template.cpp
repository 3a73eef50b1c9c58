#include "platform/web/compiled_template.hpp"

#include <stdexcept>

namespace zocalo::web {
namespace {

// Enough idle copies for every worker thread to render the same page at once; beyond that,
// copies made under a burst are dropped rather than kept forever.
constexpr std::size_t kMaxIdle = 64;

}  // namespace

CompiledTemplate::CompiledTemplate(const std::string& source) : prototype_(source) {}

std::unique_ptr<kainjow::mustache::mustache> CompiledTemplate::borrow() const {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto copy = std::move(idle_.back());
      idle_.pop_back();
      return copy;
    }
  }
  return std::make_unique<kainjow::mustache::mustache>(prototype_);
}

void CompiledTemplate::give_back(std::unique_ptr<kainjow::mustache::mustache> copy) const {
  const std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(copy));
}

void CompiledTemplate::render_into(const kainjow::mustache::data& data, std::string& out) const {
  auto copy = borrow();
  copy->render(data, [&out](const std::string& chunk) { out += chunk; });
  if (!copy->is_valid()) {
    // The copy now carries the error for good: drop it, the prototype is untouched.
    throw std::runtime_error("template render failed: " + copy->error_message());
  }
  give_back(std::move(copy));
}

}  // namespace zocalo::web
