#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace mtls::testing {

absl::StatusOr<ChildProcess> ChildProcess::Start(const std::vector<std::string>& argv) {
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  if (rc != 0) {
    close(to_child[1]);
    close(from_child[0]);
    return absl::NotFoundError(absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
  }
  return ChildProcess(pid, to_child[1], from_child[0]);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_),
      stdin_fd_(other.stdin_fd_),
      stdout_fd_(other.stdout_fd_),
      output_(std::move(other.output_)),
      consumed_(other.consumed_) {
  other.pid_ = -1;
  other.stdin_fd_ = other.stdout_fd_ = -1;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  CloseStdin();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

absl::StatusOr<std::string> ChildProcess::WaitForLine(const std::string& fragment,
                                                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const size_t found = output_.find(fragment, consumed_);
    if (found != std::string::npos) {
      const size_t end = output_.find('\n', found);
      if (end != std::string::npos) {
        const size_t start = output_.rfind('\n', found);
        consumed_ = end + 1;
        return output_.substr(start == std::string::npos ? 0 : start + 1,
                              end - (start == std::string::npos ? 0 : start + 1));
      }
    }
    const int64_t wait_ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    pollfd readable{stdout_fd_, POLLIN, 0};
    if (wait_ms <= 0 || poll(&readable, 1, static_cast<int>(wait_ms)) <= 0) {
      return absl::DeadlineExceededError(
          absl::StrCat("no line with '", fragment, "' in time; output so far: ", output_));
    }
    char buffer[4096];
    const ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
    if (n <= 0) {
      return absl::UnavailableError(
          absl::StrCat("child ended without '", fragment, "'; output: ", output_));
    }
    output_.append(buffer, static_cast<size_t>(n));
  }
}

absl::Status ChildProcess::WriteStdin(const std::string& data) {
  if (write(stdin_fd_, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
    return absl::InternalError(absl::StrCat("write to child: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

void ChildProcess::CloseStdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

int ChildProcess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    // Keep draining output so the child never blocks on a full pipe.
    pollfd readable{stdout_fd_, POLLIN, 0};
    if (poll(&readable, 1, 20) > 0) {
      char buffer[4096];
      const ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
      if (n > 0) output_.append(buffer, static_cast<size_t>(n));
      if (n <= 0) usleep(10000);  // end of output; the child may not have exited yet
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
  }
  return -1;
}

}  // namespace mtls::testing
