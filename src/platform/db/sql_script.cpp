#include "platform/db/sql_script.hpp"

#include <cctype>

namespace zocalo::db {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool equals_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The words of a statement so far, outside quotes and comments, used only to recognise
// CREATE [TEMP|TEMPORARY] TRIGGER and track its BEGIN/CASE ... END nesting.
struct TriggerTracker {
  int words_seen = 0;
  bool create = false;
  bool trigger = false;
  int depth = 0;

  void word(std::string_view w) {
    ++words_seen;
    if (words_seen == 1) {
      create = equals_ci(w, "create");
      return;
    }
    if (create && !trigger && words_seen <= 3) {
      if (equals_ci(w, "trigger"))
        trigger = true;
      else if (!equals_ci(w, "temp") && !equals_ci(w, "temporary"))
        create = false;
      return;
    }
    if (!trigger) return;
    if (equals_ci(w, "begin") || equals_ci(w, "case"))
      ++depth;
    else if (equals_ci(w, "end") && depth > 0)
      --depth;
  }
  bool inside_body() const { return trigger && depth > 0; }
};

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> out;
  std::string current;    // the statement text, comments included (they may explain it)
  bool has_code = false;  // whether `current` holds anything but comments and blanks
  TriggerTracker trigger;
  auto finish = [&] {
    if (has_code) out.push_back(trim(current));
    current.clear();
    has_code = false;
    trigger = TriggerTracker{};
  };

  std::size_t i = 0;
  const std::size_t n = script.size();
  while (i < n) {
    const char c = script[i];
    if (c == '-' && i + 1 < n && script[i + 1] == '-') {
      const auto end = script.find('\n', i);
      const auto stop = end == std::string_view::npos ? n : end;
      current.append(script.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (c == '/' && i + 1 < n && script[i + 1] == '*') {
      const auto end = script.find("*/", i + 2);
      const auto stop = end == std::string_view::npos ? n : end + 2;
      current.append(script.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      // A doubled quote inside is an escaped quote: the scan simply re-enters the literal.
      const auto end = script.find(c, i + 1);
      const auto stop = end == std::string_view::npos ? n : end + 1;
      current.append(script.substr(i, stop - i));
      has_code = true;
      i = stop;
      continue;
    }
    if (c == '$' && (i == 0 || !is_word_char(script[i - 1]))) {
      // PostgreSQL dollar quoting: $$ ... $$ or $tag$ ... $tag$.
      std::size_t j = i + 1;
      while (j < n && (std::isalnum(static_cast<unsigned char>(script[j])) || script[j] == '_')) {
        ++j;
      }
      if (j < n && script[j] == '$') {
        const std::string_view tag = script.substr(i, j - i + 1);
        const auto end = script.find(tag, j + 1);
        const auto stop = end == std::string_view::npos ? n : end + tag.size();
        current.append(script.substr(i, stop - i));
        has_code = true;
        i = stop;
        continue;
      }
    }
    if (is_word_char(c)) {
      std::size_t j = i;
      while (j < n && is_word_char(script[j])) ++j;
      const std::string_view w = script.substr(i, j - i);
      trigger.word(w);
      current.append(w);
      has_code = true;
      i = j;
      continue;
    }
    if (c == ';' && !trigger.inside_body()) {
      finish();
      ++i;
      continue;
    }
    current.push_back(c);
    if (!std::isspace(static_cast<unsigned char>(c))) has_code = true;
    ++i;
  }
  finish();
  return out;
}

}  // namespace zocalo::db
