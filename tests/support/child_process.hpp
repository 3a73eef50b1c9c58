#pragma once
// A helper program (tests/harness/*.py) run for the length of one test: its stdout is piped so
// the test can read the port it chose; it is terminated and reaped when the object goes away.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zocalo::testing {

class ChildProcess {
 public:
  // Starts argv[0] (an absolute path) with the given arguments. Throws when fork/exec fails.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line the program printed, without the newline; nullopt on timeout or end of output.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
};

// The folder holding tests/harness, from ZOCALO_SOURCE_DIR (set by CTest) or the build's source
// directory.
std::string harness_path(const std::string& file);

}  // namespace zocalo::testing
