// Test helper: a real peer program (openssl s_server, s_client, ...) run as a child process with
// pipes on stdin and stdout (stderr merged), killed when the object goes away.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mtls::testing {

class ChildProcess {
 public:
  static absl::StatusOr<ChildProcess> Start(const std::vector<std::string>& argv);
  ChildProcess(ChildProcess&& other) noexcept;
  ~ChildProcess();

  // Reads output until a line contains `fragment`; returns that line.
  absl::StatusOr<std::string> WaitForLine(const std::string& fragment, absl::Duration timeout);
  absl::Status WriteStdin(const std::string& data);
  void CloseStdin();
  // Waits for the exit status (-1 on timeout, after which the child is killed).
  int Wait(absl::Duration timeout);
  // Everything read from the child so far.
  const std::string& output() const { return output_; }

 private:
  ChildProcess(pid_t pid, int stdin_fd, int stdout_fd)
      : pid_(pid), stdin_fd_(stdin_fd), stdout_fd_(stdout_fd) {}

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string output_;
  size_t consumed_ = 0;  // output_ before this offset has been matched already
};

}  // namespace mtls::testing
